// The web host's Host allow-list (DNS rebinding): which names each binding answers.
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { hostCheck } from '../../../src/main/web-host/allowed-hosts.ts';

describe('hostCheck', () => {
  it('bound to 127.0.0.1: the loopback names, and nothing else', () => {
    const check = hostCheck('127.0.0.1', 7860, '');
    for (const name of ['127.0.0.1:7860', 'localhost:7860', 'LocalHost:7860', '[::1]:7860', 'localhost.:7860'])
      expect(check.allows(name), name).toBe(true);
    // A tunnel (ssh -L 9000:127.0.0.1:7860) shows the loopback name with its own port.
    expect(check.allows('localhost:9000')).toBe(true);
    for (const name of [
      'evil.example',
      'evil.example:7860',
      'localhost.evil.example:7860',
      '127.0.0.1.nip.io:7860',
      `${os.hostname()}:7860`,
      'user@localhost:7860',
      'localhost:7860/x',
      '',
      undefined,
    ])
      expect(check.allows(name), String(name)).toBe(false);
  });

  it('bound to an explicit address: that address with its port, and the loopback names', () => {
    const check = hostCheck('192.168.7.20', 7860, '');
    expect(check.allows('192.168.7.20:7860')).toBe(true);
    expect(check.allows('192.168.7.20:7861')).toBe(false);
    expect(check.allows('192.168.7.20')).toBe(false);
    expect(check.allows('localhost:7860')).toBe(true);
    expect(check.allows('evil.example:7860')).toBe(false);
    const named = hostCheck('gpu-box.lan', 80, '');
    expect(named.allows('gpu-box.lan')).toBe(true);
    expect(named.allows('GPU-BOX.LAN:80')).toBe(true);
    const v6 = hostCheck('fd00::5', 7860, '');
    expect(v6.allows('[fd00::5]:7860')).toBe(true);
    expect(v6.allows('[fd00::6]:7860')).toBe(false);
  });

  it('bound to every interface: this machine’s addresses and host name with the port', () => {
    const check = hostCheck('0.0.0.0', 7860, '');
    const addresses = Object.values(os.networkInterfaces())
      .flat()
      .filter((a) => a !== undefined && !a.address.includes('%'))
      .map((a) => (a?.family === 'IPv6' ? `[${a.address}]` : a?.address));
    expect(addresses.length).toBeGreaterThan(0);
    for (const address of addresses) expect(check.allows(`${address}:7860`), address).toBe(true);
    expect(check.allows(`${os.hostname()}:7860`)).toBe(true);
    expect(check.allows(`${os.hostname()}:7861`)).toBe(false);
    expect(check.allows('evil.example:7860')).toBe(false);
    expect(hostCheck('::', 7860, '').allows('evil.example:7860')).toBe(false);
  });

  it('takes more names from DIPTYCH_ALLOWED_HOSTS: a bare name on any port, name:port on that one', () => {
    const check = hostCheck('127.0.0.1', 7860, ' diptych.example.org , tunnel.example:9000,,bad name, other:80');
    expect(check.allows('diptych.example.org')).toBe(true);
    expect(check.allows('diptych.example.org:443')).toBe(true);
    expect(check.allows('tunnel.example:9000')).toBe(true);
    expect(check.allows('tunnel.example:7860')).toBe(false);
    expect(check.allows('other')).toBe(true);
    expect(check.allows('other:81')).toBe(false);
    expect(check.allows('evil.example')).toBe(false);
    const saved = process.env.DIPTYCH_ALLOWED_HOSTS;
    process.env.DIPTYCH_ALLOWED_HOSTS = 'from-env.example';
    try {
      expect(hostCheck('127.0.0.1', 7860).allows('from-env.example:7860')).toBe(true);
    } finally {
      if (saved === undefined) delete process.env.DIPTYCH_ALLOWED_HOSTS;
      else process.env.DIPTYCH_ALLOWED_HOSTS = saved;
    }
  });
});
