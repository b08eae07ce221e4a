// nginx's configuration read as nginx reads it, on the real Debian 1.22 tree copied out of
// smokestack/nginx:1.22 (test/fixtures/nginx/debian-1.22), with files added the way a team adds
// them (conf.d/*.conf, a site in sites-enabled).
import { describe, expect, it } from 'vitest';
import { loadNginxConfig, matchFiles } from '../../../src/server/nginx/includes.js';
import { NginxSyntaxError, nginxSeconds, parseNginx } from '../../../src/server/nginx/parse.js';
import { locationFor, nginxServers, serverForPort } from '../../../src/server/nginx/timeouts.js';
import { debianTree } from '../../support/nginx-tree.js';

function appLocation(files: Map<string, string>, requestPath = '/') {
  const loaded = loadNginxConfig(files);
  const server = serverForPort(nginxServers(loaded.directives), 80);
  return { loaded, server, location: server && locationFor(server.locations, requestPath) };
}

describe("Debian's nginx configuration", () => {
  it('reads nginx.conf and every include: mime.types, the module, sites-enabled/*', () => {
    const { loaded } = appLocation(debianTree());
    expect(loaded.missing).toEqual([]);
    expect(loaded.files).toEqual([
      '/etc/nginx/nginx.conf',
      '/etc/nginx/modules-enabled/50-mod-http-echo.conf',
      '/etc/nginx/mime.types',
      '/etc/nginx/sites-enabled/app',
    ]);
  });

  it("passes / to app:8000 with nginx's default 60 s read timeout when nothing sets one", () => {
    const { location } = appLocation(debianTree());
    expect(location?.passesTo).toEqual({
      family: 'proxy',
      target: 'http://app:8000',
      hosts: [{ host: 'app', port: 8000 }],
    });
    expect(location?.timeouts.read).toMatchObject({ seconds: 60, isDefault: true });
    expect(location?.timeouts.connect.seconds).toBe(60);
  });

  it('takes proxy_read_timeout from a conf.d/*.conf file at http level (the glob include)', () => {
    const { location } = appLocation(
      debianTree({ '/etc/nginx/conf.d/timeouts.conf': 'proxy_read_timeout 10s;\nproxy_send_timeout 1m;\n' }),
    );
    expect(location?.timeouts.read).toEqual({
      seconds: 10,
      source: '/etc/nginx/conf.d/timeouts.conf:1: proxy_read_timeout 10s',
      isDefault: false,
    });
    expect(location?.timeouts.send.seconds).toBe(60);
  });

  it('a server-level value overrides http, a location-level value overrides both, for that location only', () => {
    const site = `server {
  listen 80 default_server;
  proxy_read_timeout 30;
  location / { proxy_pass http://app:8000; }
  location /api/import { proxy_pass http://app:8000; proxy_read_timeout 2m; }
  location = /healthz { proxy_pass http://app:8000; proxy_read_timeout 5s; }
  location ~ ^/static/ { root /srv; }
}`;
    const files = debianTree({
      '/etc/nginx/conf.d/timeouts.conf': 'proxy_read_timeout 10s;',
      '/etc/nginx/sites-enabled/app': site,
    });
    expect(appLocation(files, '/api/movies?page=2').location?.timeouts.read.seconds).toBe(30);
    const imports = appLocation(files, '/api/import?pages=500').location!;
    expect(imports.match).toBe('/api/import');
    expect(imports.timeouts.read.seconds).toBe(120);
    expect(appLocation(files, '/healthz').location?.timeouts.read.seconds).toBe(5);
    expect(appLocation(files, '/static/app.css').location?.passesTo).toBeUndefined();
  });

  it("with Debian's default site enabled instead, / serves files and passes nowhere", () => {
    const files = debianTree();
    files.delete('/etc/nginx/sites-enabled/app');
    files.set('/etc/nginx/sites-enabled/default', files.get('/etc/nginx/sites-available/default')!);
    const { location } = appLocation(files);
    expect(location?.match).toBe('/');
    expect(location?.passesTo).toBeUndefined();
  });

  it('follows a named upstream to its servers, and uwsgi_pass / fastcgi_pass to their own timeouts', () => {
    const files = debianTree({
      '/etc/nginx/sites-enabled/app': `upstream web { server app:8000 max_fails=1; server app-2:8000; }
server {
  listen 8080;
  uwsgi_read_timeout 45s;
  proxy_read_timeout 5s;
  location / { proxy_pass http://web; }
  location /legacy/ { include uwsgi_params; uwsgi_pass legacy:3031; }
  location /php/ { fastcgi_pass unix:/run/php.sock; fastcgi_read_timeout 300; }
}`,
    });
    const loaded = loadNginxConfig(files);
    const server = serverForPort(nginxServers(loaded.directives), 8080)!;
    expect(locationFor(server.locations, '/x')!.passesTo?.hosts).toEqual([
      { host: 'app', port: 8000 },
      { host: 'app-2', port: 8000 },
    ]);
    expect(locationFor(server.locations, '/x')!.timeouts.read.seconds).toBe(5);
    const legacy = locationFor(server.locations, '/legacy/a')!;
    expect(legacy.passesTo).toMatchObject({ family: 'uwsgi', hosts: [{ host: 'legacy', port: 3031 }] });
    expect(legacy.timeouts.read.seconds).toBe(45);
    const php = locationFor(server.locations, '/php/index.php')!;
    expect(php.passesTo).toMatchObject({ family: 'fastcgi', hosts: [] });
    expect(php.timeouts.read.seconds).toBe(300);
  });

  it('names a plain include that is missing; a glob that matches nothing is fine', () => {
    const files = debianTree({ '/etc/nginx/sites-enabled/app': 'include snippets/nope.conf;' });
    expect(loadNginxConfig(files).missing).toEqual([
      { file: '/etc/nginx/sites-enabled/app', line: 1, include: 'snippets/nope.conf' },
    ]);
    expect(matchFiles(files, '/etc/nginx/conf.d/*.conf')).toEqual([]);
    expect(matchFiles(files, '/etc/nginx/sites-enabled/*')).toEqual(['/etc/nginx/sites-enabled/app']);
  });
});

describe('nginx syntax', () => {
  it('reads quoted words, comments and variables in braces', () => {
    const [d] = parseNginx(`add_header X-A "a; b {c}" always; # comment\nset $x \${host}x;`, 'f');
    expect(d).toMatchObject({ name: 'add_header', args: ['X-A', 'a; b {c}', 'always'], line: 1 });
    expect(parseNginx(`set $x \${host}x;`, 'f')[0]!.args).toEqual(['$x', `\${host}x`]);
  });

  it('names file and line of a block never closed or a missing ;', () => {
    expect(() => parseNginx('http {\n  server {\n}', '/etc/nginx/nginx.conf')).toThrow(NginxSyntaxError);
    expect(() => parseNginx('http {\n  server {\n}', '/etc/nginx/nginx.conf')).toThrow(
      '/etc/nginx/nginx.conf:1: a "{" is never closed',
    );
    expect(() => parseNginx('proxy_read_timeout 10s', 'x.conf')).toThrow(
      'x.conf:1: "proxy_read_timeout" has no ending ";"',
    );
  });

  it("reads nginx's time values", () => {
    expect(nginxSeconds('60')).toBe(60);
    expect(nginxSeconds('10s')).toBe(10);
    expect(nginxSeconds('500ms')).toBe(0.5);
    expect(nginxSeconds('1m30s')).toBe(90);
    expect(nginxSeconds('1h')).toBe(3600);
    expect(nginxSeconds('ten')).toBeUndefined();
    expect(nginxSeconds('10x')).toBeUndefined();
  });
});
