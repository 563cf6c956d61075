// Tokens and resets, then the UI primitives every screen uses (button, card, notice, badge, table), before any
// component's own rules: the order the cascade sees them in.
import './index.css';
import './ui/button.css';
import './ui/card.css';
import './ui/notice.css';
import './ui/badge.css';
import './ui/table.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app.tsx';
import { AppProviders } from './app/providers.tsx';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <AppProviders>
      <App />
    </AppProviders>
  </StrictMode>,
);
