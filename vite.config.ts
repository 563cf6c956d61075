import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The browser app's build (dist/client) and dev server. The tests' settings are in vitest.config.ts.
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist/client', emptyOutDir: true, sourcemap: true },
  server: {
    host: '127.0.0.1',
    port: 5173,
    strictPort: true,
    // `npm run dev` starts the API on 8080 with PUBLIC_ORIGIN set to this server's origin.
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
