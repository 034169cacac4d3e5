/* The chat page's behaviour in the browser: what needs no server round trip.
 *
 * Citations scroll to their card, the document view opens at a passage, the language and the
 * light/dark choice are remembered, a half-typed question survives a reload, Gradio's English
 * "connection lost" toast is replaced by our own words, and a phone gets a "Källor (n)" button.
 * Everything is delegated from `document`, because Gradio re-renders the HTML it belongs to.
 * The strings come from ui/i18n.py as window.MQ_STRINGS.
 */
(() => {
  "use strict";
  if (window.mqChat) return;
  const STRINGS = window.MQ_STRINGS || {};
  const store = {
    get: (key) => { try { return window.localStorage.getItem(key); } catch (e) { return null; } },
    set: (key, value) => {
      try { value === null ? window.localStorage.removeItem(key) : window.localStorage.setItem(key, value); } catch (e) { /* private mode */ }
    },
  };
  const $ = (selector, root) => (root || document).querySelector(selector);
  const $$ = (selector, root) => Array.from((root || document).querySelectorAll(selector));
  const narrow = () => window.matchMedia("(max-width: 820px)").matches;

  // --- language: stored choice, else the browser's first of Swedish/English, else Swedish
  function browserLanguage() {
    for (const tag of navigator.languages || [navigator.language || ""]) {
      const code = (tag || "").toLowerCase();
      if (code.startsWith("sv")) return "sv";
      if (code.startsWith("en")) return "en";
    }
    return "sv";
  }
  function currentLanguage() {
    const chosen = store.get("mq-lang");
    return chosen === "sv" || chosen === "en" ? chosen : browserLanguage();
  }
  function say(key, values) {
    const table = STRINGS[document.documentElement.lang] || STRINGS.sv || {};
    let value = table[key] || key;
    for (const [name, replacement] of Object.entries(values || {})) value = value.replace(`{${name}}`, replacement);
    return value;
  }
  // Gradio's own strings follow its locale store; it lives in the core module the page loaded.
  async function setGradioLocale(lang) {
    const core = performance.getEntriesByType("resource").map((e) => e.name).find((n) => /\/assets\/core-[^/]*\.js$/.test(n));
    if (!core) return;
    try {
      const module = await import(core);
      if (typeof module.changeLocale === "function") module.changeLocale(lang);
    } catch (e) { /* Gradio's strings then stay in the browser's language */ }
  }
  function applyLanguage(lang) {
    document.documentElement.lang = lang;
    setGradioLocale(lang).then(() => { document.documentElement.lang = lang; });
    updatePhoneButton();
  }

  // --- light/dark: Gradio follows the system; a manual choice is stored and wins
  function applyTheme() {
    const chosen = store.get("mq-theme");
    const dark = chosen ? chosen === "dark" : window.matchMedia("(prefers-color-scheme: dark)").matches;
    document.body.classList.toggle("dark", dark);
    $$("#mq-theme").forEach((b) => b.setAttribute("aria-pressed", String(dark)));
  }
  function toggleTheme() {
    store.set("mq-theme", document.body.classList.contains("dark") ? "light" : "dark");
    applyTheme();
  }

  // --- moving around: flash the target, give it focus for keyboard users
  function reveal(element, focus) {
    for (let parent = element.parentElement; parent; parent = parent.parentElement) {
      if (parent.tagName === "DETAILS" && !parent.open) parent.open = true;
    }
    element.scrollIntoView({ block: narrow() ? "start" : "center", behavior: "auto" });
    element.classList.remove("mq-flash");
    void element.offsetWidth; // restart the animation
    element.classList.add("mq-flash");
    if (focus) {
      if (!element.hasAttribute("tabindex")) element.setAttribute("tabindex", "-1");
      element.focus({ preventScroll: true });
    }
  }
  function showPanel(view) {
    const side = $("#mq-side");
    if (!side) return;
    side.dataset.view = view;
    $$("[data-action=tab]").forEach((tab) => {
      const selected = tab.dataset.view === view;
      tab.setAttribute("aria-selected", String(selected));
      tab.tabIndex = selected ? 0 : -1;
    });
    $("#mq-sources").hidden = view !== "sources";
    $("#mq-document").hidden = view !== "document";
  }
  let returnTo = null; // where "Tillbaka till svaret" goes on a phone
  function showSource(link) {
    const card = document.getElementById(link.getAttribute("href").slice(1));
    if (!card) return;
    returnTo = link;
    showPanel("sources");
    reveal(card, true);
    updatePhoneButton();
  }
  function openDocument(start, end) {
    showPanel("document");
    const view = $("#mq-document");
    $$(".mq-hit", view).forEach((e) => e.classList.remove("mq-hit"));
    const hits = $$("[data-s]", view).filter((e) => +e.dataset.s < end && +e.dataset.e > start);
    hits.forEach((e) => e.classList.add("mq-hit"));
    if (hits.length) {
      const block = hits[0].closest("p, li, h4, h5") || hits[0];
      reveal(block, true);
    }
  }
  function goTo(id) {
    const target = document.getElementById(id);
    if (!target) return;
    showPanel("document");
    reveal(target, true);
  }

  // --- asking: the same text box and button a person uses, so queueing and history stay one path
  function ask(question) {
    const box = $("#mq-question textarea");
    const send = $("#mq-send");
    if (!box || !send) return;
    box.value = question;
    box.dispatchEvent(new Event("input", { bubbles: true }));
    noteIfQueued();
    setTimeout(() => send.click(), 0);
  }
  function busy() { return !!$("#mq-live .mq-streaming"); }
  function status(message) {
    const region = $("#mq-status");
    if (region) region.textContent = message;
  }
  function noteIfQueued() { if (busy()) status(say("queued")); }

  async function copy(button) {
    const value = button.dataset.copy || "";
    window.mqLastCopied = value; // what the page put on the clipboard (the browser test reads it)
    try {
      await navigator.clipboard.writeText(value);
    } catch (e) {
      const area = document.createElement("textarea");
      area.value = value;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      document.execCommand("copy");
      area.remove();
    }
    const label = button.textContent;
    button.textContent = say("copied");
    status(say("copied"));
    setTimeout(() => { button.textContent = label; }, 1500);
  }

  document.addEventListener("click", (event) => {
    const target = event.target.closest("[data-action]");
    if (!target) return;
    const action = target.dataset.action;
    if (action === "cite") { event.preventDefault(); showSource(target); }
    else if (action === "document") openDocument(+target.dataset.start, +target.dataset.end);
    else if (action === "goto") { event.preventDefault(); goTo(target.getAttribute("href").slice(1)); }
    else if (action === "footnote") goTo(`mq-doc-fn-${target.dataset.footnote}`);
    else if (action === "ask") ask(target.dataset.question);
    else if (action === "copy") copy(target);
    else if (action === "tab") showPanel(target.dataset.view);
    else if (action === "phone-sources") phoneJump();
  });
  // Arrow keys move between the two tabs, as a tab list should.
  document.addEventListener("keydown", (event) => {
    const tab = event.target.closest && event.target.closest("[data-action=tab]");
    if (tab && (event.key === "ArrowRight" || event.key === "ArrowLeft")) {
      const tabs = $$("[data-action=tab]");
      const next = tabs[(tabs.indexOf(tab) + (event.key === "ArrowRight" ? 1 : tabs.length - 1)) % tabs.length];
      showPanel(next.dataset.view);
      next.focus();
      event.preventDefault();
    }
    const box = event.target.closest && event.target.closest("#mq-question textarea");
    if (box && event.key === "Enter" && !event.shiftKey) noteIfQueued();
  });
  document.addEventListener("click", (event) => {
    if (event.target.closest && event.target.closest("#mq-send")) noteIfQueued();
  }, true);

  // --- a phone: the sources sit below the chat, so a button says they exist and goes back and forth
  function phoneButton() {
    let button = $("#mq-phone-sources");
    if (!button) {
      button = document.createElement("button");
      button.type = "button";
      button.id = "mq-phone-sources";
      button.dataset.action = "phone-sources";
      document.body.appendChild(button);
    }
    return button;
  }
  function sourcesInView() {
    const side = $("#mq-side");
    if (!side || !narrow()) return false;
    const box = side.getBoundingClientRect();
    return box.top < window.innerHeight * 0.5 && box.bottom > 0;
  }
  function updatePhoneButton() {
    const cards = $$("#mq-sources .mq-sources > section .mq-source").length;
    const button = phoneButton();
    button.hidden = !cards;
    button.textContent = sourcesInView() ? say("back_to_answer") : say("sources_count", { n: String(cards) });
  }
  function phoneJump() {
    if (sourcesInView()) {
      const back = returnTo && document.contains(returnTo) ? returnTo : $("#mq-log .mq-exchange:last-of-type") || $("#mq-question textarea");
      back.scrollIntoView({ block: "center" });
      if (back.focus) back.focus({ preventScroll: true });
    } else {
      showPanel("sources");
      const newest = $("#mq-sources .mq-sources > section");
      if (newest) reveal(newest, true);
    }
    updatePhoneButton();
  }
  window.addEventListener("scroll", () => updatePhoneButton(), { passive: true });
  window.addEventListener("resize", () => updatePhoneButton(), { passive: true });

  // --- the half-typed question survives a reload (and a restart, which reloads the page)
  function watchDraft() {
    const box = $("#mq-question textarea");
    if (!box || box.dataset.mqDraft) return;
    box.dataset.mqDraft = "1";
    box.addEventListener("input", () => store.set("mq-draft", box.value || null));
  }
  function restoreDraft() {
    const box = $("#mq-question textarea");
    const draft = store.get("mq-draft");
    if (!box || !draft || box.value) return;
    const asked = $$("#mq-log .mq-user p").map((p) => p.textContent.trim());
    if (asked.length && asked[asked.length - 1] === draft.trim()) { store.set("mq-draft", null); return; }
    box.value = draft;
    box.dispatchEvent(new Event("input", { bubbles: true }));
  }
  function forgetAnsweredDraft() {
    const draft = (store.get("mq-draft") || "").trim();
    const asked = $$("#mq-log .mq-user p").map((p) => p.textContent.trim());
    if (draft && asked.includes(draft)) store.set("mq-draft", null);
  }

  // --- Gradio's "Connection to the server was lost" toast (English only): ours instead
  function replaceConnectionToast() {
    for (const toast of $$("[data-testid=toast-body]")) {
      if (/connection/i.test(toast.textContent) && !toast.dataset.mqHidden) {
        toast.dataset.mqHidden = "1";
        toast.style.display = "none";
        const banner = $("#mq-connection");
        banner.textContent = say("reconnecting");
        banner.hidden = false;
      }
    }
  }

  // --- keep the newest text in view while an answer streams, unless the reader scrolled up
  let pinned = true;
  function watchScroll() {
    const scroller = $("#mq-scroll");
    if (!scroller || scroller.dataset.mqScroll) return;
    scroller.dataset.mqScroll = "1";
    scroller.addEventListener("scroll", () => {
      pinned = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80;
    }, { passive: true });
  }
  let lastLive = "";
  let lastTurns = -1;
  function onChange() {
    replaceConnectionToast();
    watchDraft();
    watchScroll();
    const scroller = $("#mq-scroll");
    const live = ($("#mq-live") || {}).textContent || "";
    const turns = $$("#mq-log .mq-exchange").length;
    if (scroller && (live !== lastLive || turns !== lastTurns)) {
      if (pinned || turns !== lastTurns) scroller.scrollTop = scroller.scrollHeight;
      if (turns > lastTurns && lastTurns >= 0 && !live) status(say("answer_done"));
      lastLive = live;
      lastTurns = turns;
      forgetAnsweredDraft();
      updatePhoneButton();
    }
  }
  let scheduled = false;
  new MutationObserver(() => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => { scheduled = false; onChange(); });
  }).observe(document.body, { childList: true, subtree: true, characterData: true });

  window.mqChat = {
    // Called by the page's load event (ui/chat.py): the language to render in.
    start() {
      const lang = currentLanguage();
      applyLanguage(lang);
      applyTheme();
      return lang;
    },
    // Called once the restored conversation is on the page.
    restored() { showPanel("sources"); restoreDraft(); onChange(); },
    switchLanguage(lang) {
      const next = lang === "en" ? "sv" : "en";
      store.set("mq-lang", next);
      applyLanguage(next);
      return next;
    },
    toggleTheme,
    language: currentLanguage,
  };
})();
