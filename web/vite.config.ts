/**
 * The web app's build: React through @vitejs/plugin-react; routes split by React.lazy so the
 * citizen pages load neither Ant Design nor ECharts. Two small plugins:
 * - `virtual:shenzhen-districts`: the Shenzhen district boundaries, bundled into the dashboard
 *   chunk at build time from ../shared/data/shenzhen-districts.geojson (DataV export, via the
 *   anzhou99/GeoJsons collection; no licence stated, bundled for the dashboard map as the data
 *   README allows, credited on the map). Coordinates are rounded to 4 decimals (~10 m).
 *   Without the file the map is left out and the dashboard says so.
 * - `precompress`: writes .gz and .br beside each asset (served by @fastify/static's
 *   preCompressed) and `sizes.json`: the gzip bytes of JavaScript each route loads.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));
const GEOJSON = resolve(here, '..', '..', 'shared', 'data', 'shenzhen-districts.geojson');

function shenzhenDistricts(): Plugin {
  const id = 'virtual:shenzhen-districts';
  return {
    name: 'suqiu-shenzhen-districts',
    resolveId: (source) => (source === id ? `\0${id}` : null),
    load(loaded) {
      if (loaded !== `\0${id}`) return null;
      if (!existsSync(GEOJSON)) return 'export default null;';
      this.addWatchFile(GEOJSON);
      const round = (v: unknown): unknown => (Array.isArray(v) ? v.map(round) : typeof v === 'number' ? Math.round(v * 1e4) / 1e4 : v);
      const geo = JSON.parse(readFileSync(GEOJSON, 'utf8')) as { features: { properties: Record<string, unknown>; geometry: { type: string; coordinates: unknown } }[] };
      const slim = {
        type: 'FeatureCollection',
        features: geo.features.map((f) => ({
          type: 'Feature',
          properties: { adcode: String(f.properties.adcode), name: f.properties.name, center: f.properties.center },
          geometry: { type: f.geometry.type, coordinates: round(f.geometry.coordinates) },
        })),
      };
      return `export default ${JSON.stringify(slim)};`;
    },
  };
}

/** Route chunks by the module that starts them. */
const ROUTES: Record<string, string> = {
  'src/citizen/CitizenApp.tsx': 'citizen',
  'src/staff/StaffApp.tsx': 'staff',
  'src/dashboard/Dashboard.tsx': 'dashboard',
  'src/admin/AdminPage.tsx': 'admin',
  'src/staff/OperatorDesk.tsx': 'desk',
};

function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'suqiu-precompress',
    apply: 'build',
    configResolved(c) {
      outDir = resolve(c.root, c.build.outDir);
    },
    writeBundle(_opts, bundle) {
      const gz = new Map<string, number>();
      for (const [file, out] of Object.entries(bundle)) {
        if (!/\.(js|css|svg|json|html)$/.test(file)) continue;
        const raw = readFileSync(join(outDir, file));
        const g = gzipSync(raw, { level: 9 });
        gz.set(file, g.length);
        if (raw.length < 1024 || file.endsWith('.html')) continue;
        writeFileSync(join(outDir, `${file}.gz`), g);
        writeFileSync(join(outDir, `${file}.br`), brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
        void out;
      }
      // JavaScript a route loads before it renders: the entry's static imports plus the route
      // chunk's, transitively (dynamic imports inside the route load later, on demand).
      const chunks = Object.values(bundle).filter((o) => o.type === 'chunk');
      const byFile = new Map(chunks.map((c) => [c.fileName, c]));
      const closure = (start: string[]) => {
        const seen = new Set<string>();
        const visit = (f: string) => {
          if (seen.has(f)) return;
          seen.add(f);
          for (const i of byFile.get(f)?.imports ?? []) visit(i);
        };
        start.forEach(visit);
        return seen;
      };
      const entry = chunks.filter((c) => c.isEntry).map((c) => c.fileName);
      const routes: Record<string, { files: string[]; gzip: number }> = {};
      for (const c of chunks) {
        const mod = c.facadeModuleId ? relative(here, c.facadeModuleId) : '';
        const name = ROUTES[mod];
        if (!name) continue;
        const files = [...closure([...entry, c.fileName])];
        routes[name] = { files, gzip: files.reduce((s, f) => s + (gz.get(f) ?? 0), 0) };
      }
      const entryFiles = [...closure(entry)];
      routes.entry = { files: entryFiles, gzip: entryFiles.reduce((s, f) => s + (gz.get(f) ?? 0), 0) };
      writeFileSync(join(outDir, 'sizes.json'), `${JSON.stringify({ routes, gzip: Object.fromEntries(gz) }, null, 2)}\n`);
    },
  };
}

export default defineConfig({
  root: here,
  base: '/',
  plugins: [react(), shenzhenDistricts(), precompress()],
  resolve: { alias: { '@domain': resolve(here, '..', 'src', 'domain') } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
    reportCompressedSize: false,
  },
  server: { proxy: { '/api': 'http://localhost:8080', '/r/': 'http://localhost:8080' } },
});
