/** See webgpu-env.mjs. */
export function useSwiftShaderForWebGpu(env?: NodeJS.ProcessEnv): string | null;
