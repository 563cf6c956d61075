import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The browser app's build (dist/client) and dev server. The tests' settings are in vitest.config.ts.
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist/client',
    emptyOutDir: true,
    sourcemap: true,
    // Fonts stay files: inlined as data: URLs (Vite's default under 4 KiB) they would be refused by the Content
    // Security Policy (font-src 'self'), and a data: exception would let any injected style load fonts.
    assetsInlineLimit: (file) => (file.endsWith('.woff2') || file.endsWith('.woff') ? false : undefined),
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    strictPort: true,
    // `npm run dev` starts the API on 8080 with PUBLIC_ORIGIN set to this server's origin.
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
