// A hash router: the three screens are #/runs, #/new and #/run/<id>, so a reload (or the
// back button) lands where the person was, under Electron's file:// and the web host alike.
export type Route = { name: 'runs' } | { name: 'new' } | { name: 'run'; id: string };

function parse(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/');
  if (parts[0] === 'new') return { name: 'new' };
  if (parts[0] === 'run' && parts[1]) return { name: 'run', id: decodeURIComponent(parts[1]) };
  return { name: 'runs' };
}

export const router = $state<{ route: Route }>({ route: parse(window.location.hash) });

window.addEventListener('hashchange', () => {
  router.route = parse(window.location.hash);
});

export function hrefFor(route: Route): string {
  if (route.name === 'new') return '#/new';
  if (route.name === 'run') return `#/run/${encodeURIComponent(route.id)}`;
  return '#/runs';
}

export function navigate(route: Route): void {
  window.location.hash = hrefFor(route);
}
