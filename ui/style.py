"""The chat page's CSS: the page fits the window, readable quotes, visible focus, AA contrast in
light and dark, and on a phone a full-screen sheet for the sources and the motion.

Gradio scopes ``css`` to its content area, so the page margins and its toasts (outside it) go in
``HEAD``. The chat column and the side panel are as tall as the window leaves below the header
(``--mq-above``, measured by chat.js): the conversation and the panel scroll inside them, so the
question box can grow upward, with Send in view, at 1366×768 and 390×844.
"""

HEAD = """<style>
:root { --mq-focus: #1d4ed8; --mq-hit: #fde68a; --mq-error: #b91c1c; --mq-above: 140px; }
.dark { --mq-focus: #93c5fd; --mq-hit: #854d0e; --mq-error: #fca5a5; }
.gradio-container .main.app { padding-top: 6px; padding-bottom: 0; }
@media (max-width: 820px) { .gradio-container .main.app { padding-left: 6px; padding-right: 6px; } }
/* Gradio's toasts have English titles and cover the header: chat.js shows their words in place. */
[data-testid=toast-body] { display: none !important; }
</style>"""

CSS = """
.gradio-container { max-width: 1440px !important; margin-left: auto !important; margin-right: auto !important; }
.mq-sr-only {
  position: absolute !important; width: 1px; height: 1px; padding: 0; margin: -1px;
  overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0;
}
#mq-live-regions { position: absolute !important; min-height: 0 !important; padding: 0 !important; }
.mq-banner:not([hidden]) {
  position: fixed; top: 0.5rem; left: 50%; transform: translateX(-50%); z-index: 1000;
  background: #7f1d1d; color: #fff; padding: 0.5rem 1rem; border-radius: 6px; font-weight: 600;
}

/* header */
#mq-top { align-items: flex-start; gap: 0.5rem; flex-wrap: nowrap; }
#mq-header { padding: 0; flex: 1 1 auto !important; min-width: 0 !important; }
.mq-header .mq-title { font-size: 1.35rem; margin: 0; line-height: 1.25; }
.mq-header .mq-meta { margin: 0.1rem 0 0 0; color: var(--body-text-color-subdued); font-size: 0.9rem; }
.mq-header .mq-intro { margin: 0.25rem 0 0 0; font-size: 0.88rem; }
#mq-switches { flex: 0 0 auto !important; width: auto !important; gap: 0.4rem; flex-wrap: nowrap; }
#mq-switches button { white-space: nowrap; flex: 0 0 auto !important; min-width: 0 !important; width: auto; }
#mq-theme[aria-pressed="true"] { border-color: var(--body-text-color); }
.mq-thumb { display: inline-flex; align-items: center; padding: 0.3rem 0.45rem; }

/* the page fits the window: the conversation and the panel scroll inside their columns */
#mq-main { gap: 1rem; flex-wrap: nowrap; align-items: stretch; }
#mq-chat-column, #mq-side { height: calc(100dvh - var(--mq-above) - 6px); min-height: 300px; flex-wrap: nowrap; }
#mq-chat-column { gap: 0.35rem; }
#mq-chat-column > * { flex: none; }
#mq-scroll {
  flex: 1 1 auto !important; min-height: 96px; overflow-y: auto; flex-wrap: nowrap; gap: 0;
  border: 1px solid var(--border-color-primary); border-radius: 10px; padding: 0.75rem;
  background: var(--background-fill-secondary);
}
#mq-log, #mq-live, #mq-queue-box, #mq-footer, #mq-phone-nav { padding: 0 !important; min-height: 0 !important; }
#mq-ask, #mq-phone-nav { display: none !important; }
#mq-input-row { gap: 0.5rem; align-items: flex-end; flex-wrap: nowrap; }
#mq-question textarea { border: 2px solid var(--border-color-primary); font-size: 1rem; }
#mq-question textarea[aria-invalid="true"] { border-color: var(--mq-error); }
#mq-send { align-self: flex-end; }
.mq-bottom { display: flex; gap: 0.75rem; align-items: baseline; font-size: 0.85rem; min-height: 1.3em; }
.mq-notice { display: flex; flex: 1 1 auto; gap: 0.75rem; align-items: baseline; }
.mq-notice p { margin: 0; }
.mq-refusal { color: var(--mq-error); font-weight: 600; }
.mq-refusal:empty { display: none; }
.mq-count { margin-left: auto !important; color: var(--body-text-color-subdued); white-space: nowrap; }
.mq-count.mq-over { color: var(--mq-error); font-weight: 600; }
.mq-footer { font-size: 0.8rem; flex: none; }
.mq-footer a { color: var(--link-text-color); }

/* the conversation */
.mq-empty p { margin: 0 0 0.75rem 0; }
.mq-small-heading { font-size: 0.95rem; font-weight: 600; margin: 0.5rem 0 0.35rem 0; }
.mq-suggestions { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0.4rem; }
.mq-suggestion {
  text-align: left; border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 0.4rem 0.65rem;
  background: var(--background-fill-primary); color: var(--body-text-color); cursor: pointer; font-size: 0.9rem;
}
.mq-suggestion:hover { border-color: var(--color-accent); }
.mq-exchange { margin: 0 0 1rem 0; }
.mq-user { display: flex; justify-content: flex-end; }
.mq-user p, .mq-queued p {
  margin: 0 0 0.5rem 10%; padding: 0.5rem 0.75rem; border-radius: 12px 12px 2px 12px;
  background: var(--color-accent-soft); color: var(--body-text-color); white-space: pre-wrap; overflow-wrap: anywhere;
}
.mq-bot {
  margin-right: 6%; padding: 0.6rem 0.8rem; border-radius: 12px 12px 12px 2px;
  background: var(--background-fill-primary); border: 1px solid var(--border-color-primary);
}
.mq-bot p { margin: 0 0 0.45rem 0; line-height: 1.55; }
.mq-answer .mq-quoted { border-left: 3px solid var(--border-color-accent); padding-left: 0.6rem; }
.mq-answer q:lang(sv) { quotes: "\\201D" "\\201D" "\\2019" "\\2019"; }
.mq-searching { font-style: italic; color: var(--body-text-color-subdued); }
.mq-queue { list-style: none; margin: 0; padding: 0; }
.mq-queued {
  display: flex; flex-wrap: wrap; justify-content: flex-end; align-items: center; gap: 0.35rem; margin: 0 0 0.6rem 0;
}
.mq-queued p { flex: 0 1 auto; margin: 0 0 0 10%; border: 1px dashed var(--border-color-accent); }
.mq-queued-state { font-size: 0.85rem; color: var(--body-text-color-subdued); }
.mq-cite {
  font-weight: 700; text-decoration: none; color: var(--link-text-color); padding: 0 0.1em; border-radius: 4px;
}
.mq-cite:hover { text-decoration: underline; }
.mq-tools { display: flex; gap: 0.35rem; align-items: center; margin-top: 0.3rem; flex-wrap: wrap; }
.mq-tool, .mq-link, .mq-to-chat {
  border: 1px solid var(--border-color-primary); background: var(--background-fill-secondary);
  color: var(--body-text-color); border-radius: 6px; padding: 0.2rem 0.55rem; font-size: 0.85rem; cursor: pointer;
}
.mq-thumb[aria-pressed="true"] { background: var(--color-accent-soft); border-color: var(--color-accent); }
.mq-thanks { font-size: 0.85rem; color: var(--body-text-color-subdued); margin: 0.3rem 0 0 0 !important; }
.mq-saved { color: var(--body-text-color); font-weight: 600; }
.mq-comment { display: flex; flex-direction: column; gap: 0.3rem; margin-top: 0.4rem; max-width: 32rem; }
.mq-comment label { font-size: 0.85rem; }
.mq-comment textarea {
  border: 1px solid var(--border-color-primary); border-radius: 6px; padding: 0.35rem;
  background: var(--input-background-fill); color: var(--body-text-color); font: inherit;
}
.mq-comment button { align-self: flex-start; }
.mq-followups { margin-top: 0.5rem; }

/* focus you can see */
#mq-question textarea:focus, #mq-question textarea:focus-visible {
  outline: 3px solid var(--mq-focus) !important; outline-offset: 1px; border-color: var(--mq-focus) !important;
  box-shadow: none !important;
}
.gradio-container button:focus-visible, .gradio-container a:focus-visible, .gradio-container summary:focus-visible,
.gradio-container textarea:focus-visible, .gradio-container [tabindex="-1"]:focus {
  outline: 3px solid var(--mq-focus) !important; outline-offset: 2px;
}

/* the side panel: sources or the motion, under a bar that stays in view */
/* scroll-padding: what a browser scrolls to (a focused link, a found word) lands below the bar */
#mq-side { overflow-y: auto; gap: 0.5rem; scroll-padding-top: calc(var(--mq-bar, 4.5rem) + 0.5rem); }
#mq-side:not([data-view="document"]) #mq-document,
#mq-side[data-view="document"] #mq-sources { display: none !important; }
#mq-tabs { position: sticky; top: 0; z-index: 5; background: var(--body-background-fill); padding-bottom: 0.25rem; }
.mq-panel-bar {
  display: flex; flex-wrap: wrap; align-items: center; gap: 0.25rem 0.5rem;
  border-bottom: 2px solid var(--border-color-primary);
}
.mq-tablist { display: flex; gap: 0.25rem; flex: 1 1 auto; }
.mq-tablist [role="tab"] {
  border: 0; background: none; padding: 0.4rem 0.8rem; font-weight: 600; cursor: pointer;
  color: var(--body-text-color); border-bottom: 3px solid transparent; margin-bottom: -2px;
}
.mq-tablist [role="tab"][aria-selected="true"] { border-bottom-color: var(--color-accent); }
.mq-to-chat { flex: none; }
.mq-narrow { display: none; }
.mq-current {
  flex: 1 1 100%; margin: 0 0 0.3rem 0; font-size: 0.85rem; font-weight: 600; color: var(--body-text-color-subdued);
  white-space: nowrap; overflow: hidden; text-overflow: ellipsis;
}
.mq-skip:not(:focus) {
  position: absolute !important; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap;
}
.mq-skip:focus {
  display: inline-block; margin: 0.25rem 0; padding: 0.2rem 0.6rem; border-radius: 6px;
  background: var(--background-fill-secondary); color: var(--link-text-color); font-weight: 600;
}
#mq-sources h2, #mq-sources h3:first-child { font-size: 1.05rem; margin: 0.25rem 0 0.35rem 0; }
.mq-sources-empty p { color: var(--body-text-color-subdued); line-height: 1.5; }
.mq-question {
  margin: 0 0 0.6rem 0; color: var(--body-text-color-subdued); font-size: 0.9rem; overflow-wrap: anywhere;
}
.mq-source {
  border: 1px solid var(--border-color-primary); border-radius: 8px;
  padding: 0.6rem 0.75rem; margin: 0 0 0.7rem 0; background: var(--background-fill-primary);
}
.mq-source h3, .mq-source h4 { margin: 0 0 0.35rem 0; font-size: 0.95rem; line-height: 1.35; }
.mq-source .mq-n { color: var(--link-text-color); font-weight: 700; }
.mq-passage {
  margin: 0; padding: 0 0 0 0.6rem; border-left: 3px solid var(--border-color-primary);
  line-height: 1.5; font-size: 0.93rem; white-space: pre-line;
}
.mq-source mark, .mq-hit { background: var(--mq-hit); color: inherit; padding: 0 0.1em; border-radius: 2px; }
.mq-card-tools { display: flex; gap: 0.5rem; align-items: flex-start; flex-wrap: wrap; margin-top: 0.45rem; }
.mq-context { flex: 1 1 100%; }
.mq-context summary, .mq-older summary { cursor: pointer; color: var(--link-text-color); font-size: 0.88rem; }
.mq-context-text { margin-top: 0.4rem; line-height: 1.5; font-size: 0.9rem; white-space: pre-line; }
.mq-context-text .mq-around { color: var(--body-text-color-subdued); }
.mq-source:has(details.mq-context[open]) > .mq-passage { display: none; }
.mq-abstained > h2, .mq-abstained > h3 { color: var(--body-text-color-subdued); }
.mq-older { margin: 0.5rem 0; border-top: 1px solid var(--border-color-primary); padding-top: 0.4rem; }
.mq-older > summary { font-weight: 600; overflow-wrap: anywhere; }
@keyframes mq-flash { from { box-shadow: 0 0 0 4px var(--color-accent); } to { box-shadow: 0 0 0 0 transparent; } }
.mq-flash { animation: mq-flash 1.6s ease-out; }

/* the motion */
.mq-doc { font-size: 0.93rem; line-height: 1.55; overflow-wrap: anywhere; }
.mq-toc h3 { font-size: 1rem; margin: 0.4rem 0; }
.mq-toc details { margin: 0 0 0.35rem 0; }
.mq-toc summary { cursor: pointer; font-weight: 600; }
.mq-toc ol { margin: 0.25rem 0 0.5rem 0; padding-left: 1.6rem; }
.mq-toc li { margin: 0.15rem 0; }
.mq-toc .mq-toc-sub { margin-left: 1rem; }
.mq-toc a, .mq-doc-text a { color: var(--link-text-color); }
.mq-doc-text { border-top: 1px solid var(--border-color-primary); margin-top: 0.5rem; padding-top: 0.25rem; }
.mq-doc-text h4 { font-size: 1.02rem; margin: 1rem 0 0.4rem 0; }
.mq-doc-text h5 { font-size: 0.96rem; margin: 0.8rem 0 0.35rem 0; }
.mq-doc-text p { margin: 0 0 0.6rem 0; }
.mq-doc-yrkanden li, .mq-doc-footnotes li { margin: 0 0 0.5rem 0; }
.mq-argued { display: block; font-size: 0.85rem; }
.mq-fn-ref { text-decoration: none; font-weight: 700; padding: 0 0.15em; }

/* a phone: a compact header, the conversation fills the window, the panel is a full-screen sheet */
@media (max-width: 820px) {
  #mq-top { flex-wrap: wrap; gap: 0.3rem; }
  .mq-header .mq-title { font-size: 1.05rem; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
  .mq-header .mq-meta, .mq-header .mq-intro { display: none; }
  #mq-switches { width: 100% !important; flex-wrap: wrap; gap: 0.3rem; }
  #mq-main { flex-wrap: wrap; }
  #mq-chat-column { flex: 1 1 100% !important; min-width: 0 !important; }
  #mq-scroll { padding: 0.5rem; }
  #mq-phone-nav { display: block !important; }
  .mq-phone-nav { display: flex; gap: 0.4rem; align-items: stretch; }
  .mq-phone-nav button {
    flex: 1 1 0; margin: 0; border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 0.35rem 0.5rem;
    background: var(--background-fill-secondary); color: var(--body-text-color); font-weight: 600; font-size: 0.9rem;
  }
  .mq-bot { margin-right: 0; }
  #mq-side { display: none !important; }
  #mq-side.mq-open {
    display: flex !important; position: fixed; inset: 0; z-index: 950; height: auto; min-height: 0;
    margin: 0; padding: 0 0.75rem 1rem 0.75rem; background: var(--body-background-fill); overscroll-behavior: contain;
  }
  .mq-wide { display: none; }
  .mq-narrow { display: inline; }
  .mq-to-chat { font-weight: 600; padding: 0.35rem 0.8rem; }
}
"""
