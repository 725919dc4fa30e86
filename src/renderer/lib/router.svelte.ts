// A hash router: the screens are #/runs, #/new, #/run/<id>, #/compare?c=RUN:STEP&… and
// #/convert?run=<id>&step=<n>, so a reload (or the back button) lands where the person was,
// under Electron's file:// and the web host alike.
export type Route =
  | { name: 'runs' }
  | { name: 'new' }
  | { name: 'run'; id: string }
  /** Checkpoints as "RUN:STEP" (the CLI's spelling), in the order they were chosen. */
  | { name: 'compare'; checkpoints: string[] }
  | { name: 'convert'; run: string | null; step: number | null };

function parse(hash: string): Route {
  const [pathPart = '', query = ''] = hash.replace(/^#\/?/, '').split('?');
  const parts = pathPart.split('/');
  const params = new URLSearchParams(query);
  if (parts[0] === 'new') return { name: 'new' };
  if (parts[0] === 'run' && parts[1]) return { name: 'run', id: decodeURIComponent(parts[1]) };
  if (parts[0] === 'compare') return { name: 'compare', checkpoints: params.getAll('c').filter(Boolean) };
  if (parts[0] === 'convert') {
    const step = Number(params.get('step') ?? '');
    return {
      name: 'convert',
      run: params.get('run') || null,
      step: params.get('step') !== null && Number.isInteger(step) && step >= 0 ? step : null,
    };
  }
  return { name: 'runs' };
}

export const router = $state<{ route: Route }>({ route: parse(window.location.hash) });

window.addEventListener('hashchange', () => {
  router.route = parse(window.location.hash);
});

export function hrefFor(route: Route): string {
  if (route.name === 'new') return '#/new';
  if (route.name === 'run') return `#/run/${encodeURIComponent(route.id)}`;
  if (route.name === 'compare') {
    const params = new URLSearchParams();
    for (const checkpoint of route.checkpoints) params.append('c', checkpoint);
    const query = params.toString();
    return query ? `#/compare?${query}` : '#/compare';
  }
  if (route.name === 'convert') {
    const params = new URLSearchParams();
    if (route.run) params.set('run', route.run);
    if (route.run && route.step !== null) params.set('step', String(route.step));
    const query = params.toString();
    return query ? `#/convert?${query}` : '#/convert';
  }
  return '#/runs';
}

export function navigate(route: Route): void {
  window.location.hash = hrefFor(route);
}
