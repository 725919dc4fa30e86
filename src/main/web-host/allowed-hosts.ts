// Which `Host` headers the web host answers (DNS rebinding). A page of evil.example whose name
// is made to resolve to 127.0.0.1 reaches the host from the person's browser, as its own
// origin: the Origin check passes (Host and Origin are both evil.example) and only the token
// stands in the way. Answering only the names the host is bound to closes that door.
//
// - Loopback names (`localhost`, `127.0.0.1`, `[::1]`) are accepted on any port: a browser
//   only sends them for a page it loaded from that loopback name, which rebinding cannot give
//   it, and an SSH tunnel (`ssh -L 9000:127.0.0.1:7860`) presents them with its own port.
// - The bound address (`--host H`) with the bound port.
// - Bound to every interface (`0.0.0.0`, `::`, asked for explicitly): this machine's interface
//   addresses and its host name (os.hostname()), with the bound port. The interfaces are read
//   again (at most once a second) when a name is not found, so an address that came up later
//   is accepted.
// - DIPTYCH_ALLOWED_HOSTS: more names, comma-separated, each `name` (any port: a reverse
//   proxy's public name) or `name:port`.
import os from 'node:os';

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];
const WILDCARDS = new Set(['0.0.0.0', '::', '[::]', '']);

/** `name` as it appears in a Host header: lower case, IPv6 in brackets, no trailing dot. */
function hostName(name: string): string {
  const lower = name.trim().toLowerCase().replace(/\.$/, '');
  return lower.includes(':') && !lower.startsWith('[') ? `[${lower}]` : lower;
}

/** Host header → hostname and port ('' when absent), or null when it is not a plain host. */
function parseHost(header: string | undefined): { name: string; port: string } | null {
  if (!header || !/^[^\s/?#@\\]+$/.test(header) || !URL.canParse(`http://${header}`)) return null;
  const url = new URL(`http://${header}`);
  return { name: hostName(url.hostname), port: url.port };
}

function interfaceNames(): string[] {
  const names = [os.hostname()];
  for (const address of Object.values(os.networkInterfaces()).flat()) {
    // A link-local IPv6 address needs its zone in a URL; browsers do not send one in Host.
    if (address && !address.address.includes('%')) names.push(address.address);
  }
  return names.map(hostName);
}

export interface HostCheck {
  /** Whether a request with this Host header is for this host. */
  allows(header: string | undefined): boolean;
}

/**
 * @param bound the address the server listens on (`--host`)
 * @param port the port it listens on (the real one, after `--port 0`)
 * @param extra DIPTYCH_ALLOWED_HOSTS, comma-separated
 */
export function hostCheck(bound: string, port: number, extra = process.env.DIPTYCH_ALLOWED_HOSTS ?? ''): HostCheck {
  const anyPort = new Set(LOOPBACK_NAMES);
  const onPort = new Set<string>();
  const wildcard = WILDCARDS.has(bound.trim());
  if (!wildcard) onPort.add(hostName(bound));
  for (const entry of extra.split(',').map((e) => e.trim())) {
    const parsed = entry ? parseHost(entry) : null;
    if (!parsed) continue;
    // URL drops port 80 as the default one; an entry that names it still means that port.
    const entryPort = parsed.port || (/:\d+$/.test(entry) ? '80' : '');
    if (entryPort) onPort.add(`${parsed.name}:${entryPort}`);
    else anyPort.add(parsed.name);
  }
  let interfaces = new Set(wildcard ? interfaceNames() : []);
  let interfacesRead = Date.now();
  const ownPort = String(port);
  return {
    allows(header) {
      const parsed = parseHost(header);
      if (!parsed) return false;
      if (anyPort.has(parsed.name)) return true;
      // No port in Host means 80, the one port URL leaves out.
      const requestPort = parsed.port || '80';
      if (onPort.has(`${parsed.name}:${requestPort}`)) return true;
      if (requestPort !== ownPort) return false;
      if (onPort.has(parsed.name)) return true;
      if (!wildcard) return false;
      if (!interfaces.has(parsed.name) && Date.now() - interfacesRead > 1000) {
        interfaces = new Set(interfaceNames());
        interfacesRead = Date.now();
      }
      return interfaces.has(parsed.name);
    },
  };
}
