// Builds the studio (React app) into studio/dist, which the server serves at `/`. `npm run dev`
// runs this config's dev server with hot reload and sends /api to a server on :3000.

import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/** @rc-component/util's scrollbar measure, cached per scrollbar style (src/app/scrollbar-size.ts says why). */
const scrollbarSizeOnce = {
  name: 'scrollbar-size-once',
  enforce: 'pre' as const,
  resolveId(source: string, importer: string | undefined) {
    if (source === './getScrollBarSize' && importer && /@rc-component[\\/]util[\\/]es[\\/]index\.js$/.test(importer)) return fileURLToPath(new URL('src/app/scrollbar-size.ts', import.meta.url));
    return undefined;
  },
};

export default defineConfig({
  root,
  plugins: [scrollbarSizeOnce, react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // No inline module-preload polyfill: the content-security policy allows no inline script.
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      output: {
        manualChunks(id: string) {
          if (id.includes('node_modules/echarts') || id.includes('node_modules/zrender') || id.includes('echarts-for-react')) return 'charts';
          return undefined;
        },
      },
    },
  },
  server: {
    port: 5173,
    proxy: { '/api': { target: process.env['CRM_API_URL'] ?? 'http://localhost:3000', changeOrigin: false } },
  },
});
