"""The chat page's CSS: readable quotes, a visible highlight, and a layout that stacks on phones.

Gradio scopes ``css`` to its content area, so the page margins (outside it) go in ``HEAD``.
"""

HEAD = """<style>
@media (max-width: 720px) { .gradio-container .main.app { padding-left: 8px; padding-right: 8px; } }
</style>"""

CSS = """
.gradio-container { max-width: 1280px !important; }
#mq-header { padding: 0; }
.mq-header .mq-title { font-size: 1.6rem; margin: 0 0 0.15rem 0; line-height: 1.25; }
.mq-header .mq-meta { margin: 0; color: var(--body-text-color-subdued); }
.mq-header .mq-intro { margin: 0.4rem 0 0 0; font-size: 0.92rem; }
.mq-header a { color: var(--link-text-color); }
.mq-yrkanden { margin: 0; padding-left: 1.6rem; }
.mq-yrkanden li { margin: 0 0 0.55rem 0; line-height: 1.45; }
.mq-yrkande-section { display: block; font-size: 0.85rem; color: var(--body-text-color-subdued); }
#mq-sources { max-height: 680px; overflow-y: auto; padding-right: 0.25rem; }
#mq-sources h3 { font-size: 1.05rem; margin: 0 0 0.35rem 0; }
.mq-sources-empty p { color: var(--body-text-color-subdued); line-height: 1.5; }
.mq-searching { font-style: italic; }
.mq-question { margin: 0 0 0.6rem 0; color: var(--body-text-color-subdued); font-size: 0.9rem; }
.mq-source {
  border: 1px solid var(--border-color-primary); border-radius: 8px;
  padding: 0.6rem 0.75rem; margin: 0 0 0.7rem 0; background: var(--background-fill-primary);
}
.mq-source h4 { margin: 0 0 0.35rem 0; font-size: 0.95rem; line-height: 1.35; }
.mq-source .mq-n { color: var(--color-accent); font-weight: 700; }
.mq-passage {
  margin: 0; padding: 0 0 0 0.6rem; border-left: 3px solid var(--border-color-primary);
  line-height: 1.5; font-size: 0.93rem; white-space: pre-line;
}
.mq-source mark { background: #fde68a; color: inherit; padding: 0 0.1em; border-radius: 2px; }
.dark .mq-source mark { background: #854d0e; }
.mq-context { margin-top: 0.45rem; }
.mq-context summary, .mq-older summary { cursor: pointer; color: var(--link-text-color); font-size: 0.88rem; }
.mq-context-text { margin-top: 0.4rem; line-height: 1.5; font-size: 0.9rem; white-space: pre-line; }
.mq-context-text .mq-around { color: var(--body-text-color-subdued); }
.mq-context-text .mq-here { color: var(--body-text-color); }
.mq-abstained h3 { color: var(--body-text-color-subdued); }
.mq-older { margin: 0.5rem 0; border-top: 1px solid var(--border-color-primary); padding-top: 0.4rem; }
.mq-older > summary { font-weight: 600; }
#mq-chat .examples button {
  border: 1px solid var(--border-color-primary); border-radius: 8px; background: var(--background-fill-secondary);
}
#mq-chat .examples button:hover { border-color: var(--color-accent); }
#mq-new { align-self: flex-start; width: auto; max-width: 12rem; }
#mq-chat button[aria-label="Clear"] { display: none; }
.mq-source:has(details.mq-context[open]) > .mq-passage { display: none; }
@media (max-width: 720px) {
  .mq-header .mq-title { font-size: 1.3rem; }
  #mq-chat { height: min(65vh, 520px) !important; min-height: 340px; }
  #mq-chat .message-row.bubble { margin: 10px 8px 6px 8px; max-width: calc(100% - 28px); }
  #mq-sources { max-height: none; overflow: visible; }
}
"""
