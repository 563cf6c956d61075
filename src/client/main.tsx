// Tokens and resets, then the UI primitives every screen uses (button, card, notice, badge, table), before any
// component's own rules: the order the cascade sees them in. The fonts are served by the app itself (no third party,
// nothing for the Content Security Policy to allow), each script's letters fetched only when a page shows them.
import '@fontsource-variable/inter';
import '@fontsource-variable/jetbrains-mono';
import '#client/index.css';
import '#client/ui/button.css';
import '#client/ui/card.css';
import '#client/ui/notice.css';
import '#client/ui/badge.css';
import '#client/ui/table.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from '#client/app/app.tsx';
import { AppProviders } from '#client/app/providers.tsx';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <AppProviders>
      <App />
    </AppProviders>
  </StrictMode>,
);
