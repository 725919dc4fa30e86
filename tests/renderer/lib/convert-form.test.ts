import { describe, expect, it } from 'vitest';
import {
  buildConvertRequest,
  type ConvertForm,
  engineLine,
  inputFolderOf,
  isImageFile,
  outputPath,
  suggestOutput,
} from '../../../src/renderer/lib/convert-form.ts';
import { ConvertStartRequest } from '../../../src/shared/contract.ts';

const form: ConvertForm = {
  runId: 'r1',
  step: '',
  direction: 'AtoB',
  inDir: '/photos/summer/',
  files: [],
  outDir: '/photos/summer-as-B',
  sizeMode: 'full',
  fitPx: '1024',
  format: 'png',
  quality: '90',
  skipExisting: false,
  engine: 'auto',
};

describe('the convert form', () => {
  it('builds a request the host accepts, latest checkpoint when none is chosen', () => {
    const built = buildConvertRequest(form);
    if (!('request' in built)) throw new Error(built.problem);
    expect(built.request).toEqual({
      runId: 'r1',
      step: 'latest',
      direction: 'AtoB',
      inDir: '/photos/summer/',
      outDir: '/photos/summer-as-B',
      size: 'full',
      format: 'png',
      skipExisting: false,
      engine: 'auto',
    });
    expect(ConvertStartRequest.safeParse(built.request).success).toBe(true);
  });

  it('fits to N px, takes a step and a quality for lossy formats', () => {
    const built = buildConvertRequest({
      ...form,
      step: '40',
      sizeMode: 'fit',
      fitPx: '512',
      format: 'webp',
      quality: '70',
    });
    if (!('request' in built)) throw new Error(built.problem);
    expect(built.request).toMatchObject({ step: 40, size: 512, format: 'webp', quality: 70 });
    expect(ConvertStartRequest.safeParse(built.request).success).toBe(true);
  });

  it('passes the engine chosen, and words what runs the network from the started event', () => {
    const built = buildConvertRequest({ ...form, engine: 'tfjs' });
    if (!('request' in built)) throw new Error(built.problem);
    expect(built.request.engine).toBe('tfjs');
    expect(ConvertStartRequest.safeParse(built.request).success).toBe(true);
    expect(engineLine({ engine: 'onnx', engineNote: 'ONNX Runtime 1.30.0, CPU, 2 threads', backend: 'wasm' })).toBe(
      'Running on ONNX Runtime 1.30.0, CPU, 2 threads.',
    );
    expect(
      engineLine({
        engine: 'tfjs',
        engineNote: 'ONNX Runtime unavailable (no binding); TensorFlow.js translates',
        backend: 'wasm',
      }),
    ).toBe('Running on TensorFlow.js (wasm). ONNX Runtime unavailable (no binding); TensorFlow.js translates.');
  });

  it('says what is missing or wrong', () => {
    expect(buildConvertRequest({ ...form, inDir: ' ' })).toEqual({
      problem: 'Choose the folder of images to convert, or some image files.',
    });
    expect(buildConvertRequest({ ...form, outDir: '' })).toEqual({ problem: 'Choose where the converted images go.' });
    expect(buildConvertRequest({ ...form, sizeMode: 'fit', fitPx: '4.5' })).toHaveProperty('problem');
    expect(buildConvertRequest({ ...form, sizeMode: 'fit', fitPx: '7' })).toHaveProperty('problem');
    expect(buildConvertRequest({ ...form, format: 'jpg', quality: '101' })).toHaveProperty('problem');
    // PNG ignores the quality, so a bad one does not block it.
    expect(buildConvertRequest({ ...form, quality: 'x' })).toHaveProperty('request');
  });

  it('sends loose files instead of the folder when some are chosen', () => {
    const built = buildConvertRequest({ ...form, inDir: '', files: ['/pics/a.jpg', '/other/b.png'] });
    if (!('request' in built)) throw new Error(built.problem);
    expect(built.request).toMatchObject({ files: ['/pics/a.jpg', '/other/b.png'] });
    expect(built.request).not.toHaveProperty('inDir');
    expect(ConvertStartRequest.safeParse(built.request).success).toBe(true);
    // The output suggestion follows the first file's folder (a sibling of it, never the folder itself).
    expect(suggestOutput(inputFolderOf({ inDir: '', files: ['/pics/a.jpg'] }), 'AtoB')).toBe('/pics-as-B');
    expect(inputFolderOf({ inDir: 'C:\\x', files: ['C:\\pics\\a.jpg'] })).toBe('C:\\pics');
    expect(isImageFile('/pics/A.JPG')).toBe(true);
    expect(isImageFile('/pics/holiday')).toBe(false);
  });

  it('suggests a sibling output folder and joins output paths', () => {
    expect(suggestOutput('/photos/summer/', 'AtoB')).toBe('/photos/summer-as-B');
    expect(suggestOutput('C:\\pics\\winter', 'BtoA')).toBe('C:\\pics\\winter-as-A');
    expect(suggestOutput('  ', 'AtoB')).toBe('');
    expect(outputPath('/out/', 'sub/a.png')).toBe('/out/sub/a.png');
    expect(outputPath('C:\\out', 'a.png')).toBe('C:\\out\\a.png');
  });
});
