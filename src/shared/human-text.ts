/**
 * What a name typed by a person (connector, webhook, user, API key) may not hold: Unicode control characters (Cc: tabs,
 * line breaks, ESC, NUL — which PostgreSQL cannot store in text at all — DEL and the C1 range) and the bidirectional
 * controls (U+200E/F marks, U+202A–202E embeddings and overrides, U+2066–2069 isolates), which make a name read
 * differently from what it holds ("Trojan Source"). Names reach the activity log, alerts and other people's screens.
 */
const HIDDEN = /[\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

export const HIDDEN_CHARACTERS_MESSAGE = "Names can't contain control characters (tabs, line breaks) or text-direction marks";

export const hasHiddenCharacters = (text: string) => HIDDEN.test(text);
