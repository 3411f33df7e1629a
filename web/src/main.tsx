import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { QuestionnaireScreen } from './screens/questionnaire/QuestionnaireScreen.js';
import './styles.css';

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      {/* A client's one-time questionnaire link: outside the app, no session is ever looked up. */}
      {window.location.pathname === '/questionnaire' ? <QuestionnaireScreen /> : <App />}
    </StrictMode>,
  );
}
