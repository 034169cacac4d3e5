/* The chat page's behaviour in the browser: what needs no server round trip.
 *
 * Questions: Send and Enter are checked here (empty, too long: refused in words under the box,
 * with a character count near the limit) and queued, so every question sent is asked, in order;
 * the queue is shown and survives a reload. Citations scroll to their card and the motion opens at
 * a passage, scrolling only the panel, never the window. On a phone the panel is a full-screen
 * sheet with its own scroll and a close button. Gradio's toasts are replaced by our own words,
 * in place. The language and the light/dark choice are remembered, and so is a half-typed question.
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
  const questionBox = () => $("#mq-question textarea");

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
  const number = (n) => n.toLocaleString(document.documentElement.lang === "en" ? "en-GB" : "sv-SE");
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
    const title = $(".mq-title");
    if (title) document.title = `${say("page_title")} – ${title.textContent}`;
    updateCounts();
    renderQueue();
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

  // --- the page fits the window: the chat column and the panel take what the header leaves,
  // so a growing question box shrinks the conversation instead of pushing Send off the screen
  function fitToWindow() {
    const column = $("#mq-chat-column");
    if (!column) return;
    const top = column.getBoundingClientRect().top + window.scrollY;
    document.documentElement.style.setProperty("--mq-above", `${Math.round(top)}px`);
    const box = $("#mq-scroll");
    if (box && pinned) box.scrollTop = box.scrollHeight; // the newest answer stays in view as the box resizes
  }
  window.addEventListener("resize", fitToWindow, { passive: true });

  // --- scrolling only the box that holds an element (never the window)
  function scroller(element) {
    for (let parent = element.parentElement; parent; parent = parent.parentElement) {
      if (parent === document.body) return null;
      if (/(auto|scroll)/.test(getComputedStyle(parent).overflowY)) return parent;
    }
    return null;
  }
  function scrollWithin(element, where) {
    const box = scroller(element);
    if (!box) return;
    const bar = box.id === "mq-side" ? ($("#mq-tabs") || { offsetHeight: 0 }).offsetHeight : 0;
    const target = element.getBoundingClientRect();
    const frame = box.getBoundingClientRect();
    const room = frame.height - bar;
    let offset;
    if (where === "nearest") {
      if (target.top >= frame.top + bar && target.bottom <= frame.bottom) return;
      offset = target.bottom > frame.bottom ? target.bottom - frame.bottom + 8 : target.top - frame.top - bar - 8;
    } else if (where === "center" && target.height < room) {
      offset = target.top - frame.top - bar - (room - target.height) / 2;
    } else {
      offset = target.top - frame.top - bar - 8;
    }
    box.scrollTop += offset;
  }

  // --- moving around: flash the target, give it focus for keyboard users
  function reveal(element, focus) {
    for (let parent = element.parentElement; parent; parent = parent.parentElement) {
      if (parent.tagName === "DETAILS" && !parent.open) parent.open = true;
    }
    scrollWithin(element, narrow() ? "start" : "center");
    element.classList.remove("mq-flash");
    void element.offsetWidth; // restart the animation
    element.classList.add("mq-flash");
    if (focus) {
      if (!element.hasAttribute("tabindex")) element.setAttribute("tabindex", "-1");
      placeSkipLink(element);
      element.focus({ preventScroll: true });
    }
  }
  // One Shift+Tab from wherever the panel put the focus reaches a link back to the conversation.
  function placeSkipLink(element) {
    if (!element.closest("#mq-side")) return;
    let skip = $("#mq-skip-back");
    if (!skip) {
      skip = document.createElement("a");
      skip.id = "mq-skip-back";
      skip.className = "mq-skip";
      skip.href = "#mq-question";
      skip.dataset.action = "to-chat";
    }
    skip.textContent = say("back_to_conversation");
    skip.lang = document.documentElement.lang;
    if (element.tagName === "LI") {
      const previous = element.previousElementSibling;
      if (previous) previous.appendChild(skip);
      else element.parentElement.before(skip);
    } else {
      element.before(skip);
    }
  }

  // --- the side panel: the sources or the motion; on a phone a full-screen sheet
  let returnTo = null; // where "back to the conversation" goes
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
    trackSection();
  }
  // Going somewhere in the panel: on a phone the sheet opens first.
  function navigate(view) {
    if (narrow()) openSheet();
    showPanel(view);
  }
  function sheetOpen() { return !!($("#mq-side") || {}).classList?.contains("mq-open"); }
  function openSheet() {
    const side = $("#mq-side");
    if (!side || sheetOpen()) return;
    side.classList.add("mq-open");
    side.setAttribute("role", "dialog");
    side.setAttribute("aria-modal", "true");
    side.setAttribute("aria-label", ($(".mq-tablist") || side).getAttribute("aria-label") || "");
    for (const behind of $$("#mq-top, #mq-chat-column")) behind.inert = true;
    side.scrollTop = 0;
  }
  function closeSheet() {
    const side = $("#mq-side");
    if (!side) return;
    side.classList.remove("mq-open");
    for (const name of ["role", "aria-modal", "aria-label"]) side.removeAttribute(name);
    for (const behind of $$("#mq-top, #mq-chat-column")) behind.inert = false;
  }
  function backToConversation() {
    closeSheet();
    const back = returnTo && document.contains(returnTo) && returnTo.closest("#mq-chat-column") ? returnTo : questionBox();
    if (!back) return;
    scrollWithin(back, "nearest");
    back.focus({ preventScroll: true });
  }
  function openPanel(view, opener) {
    returnTo = opener;
    navigate(view);
    const target = view === "sources" ? $("#mq-sources .mq-sources > section") : $("#mq-document .mq-doc");
    if (target) {
      if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
      target.focus({ preventScroll: true });
    }
  }
  function showSource(link) {
    const card = document.getElementById(link.getAttribute("href").slice(1));
    if (!card) return;
    returnTo = link;
    navigate("sources");
    reveal(card, true);
  }
  function openDocument(start, end) {
    navigate("document");
    const view = $("#mq-document");
    $$(".mq-hit", view).forEach((e) => e.classList.remove("mq-hit"));
    const hits = $$("[data-s]", view).filter((e) => +e.dataset.s < end && +e.dataset.e > start);
    hits.forEach((e) => e.classList.add("mq-hit"));
    if (hits.length) reveal(hits[0].closest("p, li, h4, h5") || hits[0], true);
  }
  function goTo(id, opener) {
    const target = document.getElementById(id);
    if (!target) return;
    if (opener && opener.closest("#mq-chat-column")) returnTo = opener;
    navigate("document");
    reveal(target, true);
  }
  // The section being read, in the panel's bar: the last heading scrolled past.
  function trackSection() {
    const line = $("#mq-current");
    const side = $("#mq-side");
    if (!line || !side) return;
    if (side.dataset.view !== "document") { line.hidden = true; return; }
    const top = side.getBoundingClientRect().top + ($("#mq-tabs") || { offsetHeight: 0 }).offsetHeight + 12;
    let current = null;
    for (const heading of $$("#mq-document .mq-doc-text > h4, #mq-document .mq-doc-text > h5")) {
      if (heading.getBoundingClientRect().top > top) break;
      current = heading;
    }
    const name = current ? current.textContent.trim() : say("contents");
    const lang = current ? current.lang || "" : document.documentElement.lang;
    document.documentElement.style.setProperty("--mq-bar", `${($("#mq-tabs") || { offsetHeight: 0 }).offsetHeight}px`);
    if (line.dataset.name === name && !line.hidden) return;
    line.dataset.name = name;
    line.replaceChildren(`${say("current_section")}: `);
    const title = document.createElement("span");
    title.textContent = name;
    if (lang) title.lang = lang;
    line.appendChild(title);
    line.hidden = false;
  }
  let tracking = false;
  document.addEventListener("scroll", (event) => {
    if (event.target.id !== "mq-side" || tracking) return;
    tracking = true;
    requestAnimationFrame(() => { tracking = false; trackSection(); });
  }, { passive: true, capture: true });

  // --- asking: every question sent is asked, in order; those sent meanwhile wait in a visible queue
  const queue = { current: null, waiting: [], paused: false, sentAt: 0 };
  const limit = () => +(($("#mq-notice") || {}).dataset || {}).limit || 2000;
  function savePending() {
    const pending = [...(queue.current === null ? [] : [queue.current]), ...queue.waiting];
    store.set("mq-pending", pending.length ? JSON.stringify(pending) : null);
  }
  function refuse(message) {
    const line = $("#mq-refusal");
    if (line) line.textContent = message || "";
  }
  function problemWith(question) {
    const length = question.trim().length;
    if (!length) return say("empty_question");
    if (length > limit()) return say("too_long", { n: number(length), limit: number(limit()) });
    return null;
  }
  function submit(question) {
    const problem = problemWith(question);
    refuse(problem);
    if (problem) return false;
    queue.waiting.push(question.trim());
    queue.paused = false;
    if (queue.current !== null) status(say("queued"));
    savePending();
    renderQueue();
    pump();
    return true;
  }
  function pump() {
    const trigger = $("#mq-ask");
    if (queue.current !== null || queue.paused || !queue.waiting.length || !trigger) return;
    queue.current = queue.waiting.shift();
    savePending();
    renderQueue();
    trigger.click();
  }
  // The hidden trigger's js (ui/chat.py): the question to answer, and how long the conversation was.
  function outgoing(record) {
    queue.sentAt = (record && record.next) || 0;
    return queue.current || "";
  }
  // After each answer (or a failure): the next question, or the failed one back at the head, paused.
  function answered(record) {
    const question = queue.current;
    queue.current = null;
    if (question !== null && !(record && record.next > queue.sentAt)) {
      queue.waiting.unshift(question);
      queue.paused = true;
    }
    savePending();
    renderQueue();
    setTimeout(pump, 0);
  }
  function sendBox() {
    const box = questionBox();
    if (!box) return;
    if (submit(box.value)) {
      setBox("");
      store.set("mq-draft", null);
    }
    box.focus();
  }
  function setBox(value) {
    const box = questionBox();
    box.value = value;
    box.dispatchEvent(new Event("input", { bubbles: true }));
    updateCount();
  }
  function renderQueue() {
    const list = $("#mq-queue");
    if (!list) return;
    list.setAttribute("aria-label", say("queue_label"));
    list.replaceChildren(...queue.waiting.map((question, index) => {
      const item = document.createElement("li");
      item.className = "mq-queued";
      const text = document.createElement("p");
      text.textContent = question;
      const state = document.createElement("span");
      state.className = "mq-queued-state";
      const failed = queue.paused && index === 0;
      state.textContent = say(failed ? "not_sent" : "waiting");
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "mq-tool";
      remove.dataset.action = "unqueue";
      remove.dataset.index = String(index);
      remove.textContent = say("unqueue");
      remove.setAttribute("aria-label", say("unqueue_label", { question }));
      item.append(text, state);
      if (failed) {
        const retry = document.createElement("button");
        retry.type = "button";
        retry.className = "mq-tool";
        retry.dataset.action = "retry";
        retry.textContent = say("retry");
        item.append(retry);
      }
      item.append(remove);
      return item;
    }));
    list.hidden = !queue.waiting.length;
  }
  function unqueue(index) {
    queue.waiting.splice(index, 1);
    if (index === 0) queue.paused = false;
    savePending();
    renderQueue();
    pump();
    const box = questionBox();
    if (box) box.focus();
  }
  // After a reload (a lost connection reloads the page): what was sent but not answered is asked now.
  function resumePending() {
    let pending = [];
    try { pending = JSON.parse(store.get("mq-pending") || "[]"); } catch (e) { pending = []; }
    const asked = $$("#mq-log .mq-user p").map((p) => p.textContent.trim());
    if (pending.length && asked.length && asked[asked.length - 1] === pending[0]) pending.shift();
    queue.waiting = pending.filter((q) => typeof q === "string" && q.trim());
    queue.current = null;
    queue.paused = false;
    savePending();
    renderQueue();
    pump();
  }
  function reset() {
    queue.current = null;
    queue.waiting = [];
    queue.paused = false;
    savePending();
    renderQueue();
    refuse(null);
    closeSheet();
  }
  function busy() { return queue.current !== null; }
  function status(message) {
    const region = $("#mq-status");
    if (region) region.textContent = message;
  }

  // --- the character count, from 80 % of the limit; over it the box says so
  let near = false;
  function updateCount() {
    const box = questionBox();
    const count = $("#mq-count");
    if (!box || !count) return;
    const length = box.value.trim().length;
    const over = length > limit();
    const nowNear = length >= limit() * 0.8;
    count.hidden = !nowNear;
    count.textContent = nowNear ? say("char_count", { n: number(length), limit: number(limit()) }) : "";
    count.classList.toggle("mq-over", over);
    box.setAttribute("aria-invalid", String(over));
    box.setAttribute("aria-describedby", "mq-refusal mq-count");
    if (nowNear && !near) status(count.textContent);
    near = nowNear;
  }

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

  // --- feedback: the comment box in view with the thumb keeping focus; after a comment, the answer
  let feedbackFocus = null;
  function settleFeedback() {
    if (!feedbackFocus) return;
    const turn = $(`#mq-turn-${feedbackFocus.turn}`);
    if (!turn) return;
    if (feedbackFocus.after === "vote") {
      const pressed = $(`[data-action=feedback][aria-pressed=true]`, turn);
      if (!pressed) return;
      const form = $("form.mq-comment", turn);
      scrollWithin(form || pressed, "nearest");
      pressed.focus({ preventScroll: true });
    } else {
      const saved = $(".mq-saved", turn);
      if (!saved) return;
      scrollWithin(saved, "nearest");
      $(".mq-bot", turn).focus({ preventScroll: true });
    }
    feedbackFocus = null;
  }

  document.addEventListener("click", (event) => {
    const target = event.target.closest("[data-action]");
    if (!target) return;
    const action = target.dataset.action;
    if (action === "cite") { event.preventDefault(); showSource(target); }
    else if (action === "document") openDocument(+target.dataset.start, +target.dataset.end);
    else if (action === "goto") { event.preventDefault(); goTo(target.getAttribute("href").slice(1)); }
    else if (action === "open") goTo(target.dataset.target, target);
    else if (action === "ask") submit(target.dataset.question);
    else if (action === "copy") copy(target);
    else if (action === "tab") showPanel(target.dataset.view);
    else if (action === "open-panel") openPanel(target.dataset.view, target);
    else if (action === "to-chat") { event.preventDefault(); backToConversation(); }
    else if (action === "unqueue") unqueue(+target.dataset.index);
    else if (action === "retry") { queue.paused = false; pump(); }
    else if (action === "feedback") feedbackFocus = { turn: target.closest("[data-turn]").dataset.turn, after: "vote" };
  });
  document.addEventListener("submit", (event) => {
    const form = event.target.closest && event.target.closest("form.mq-comment");
    if (form) feedbackFocus = { turn: form.dataset.turn, after: "comment" };
  });
  // Send and Enter: ours (Gradio's own submit is not wired), before Gradio's textbox sees the key.
  document.addEventListener("click", (event) => {
    if (!(event.target.closest && event.target.closest("#mq-send"))) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    sendBox();
  }, true);
  document.addEventListener("keydown", (event) => {
    const box = event.target.closest && event.target.closest("#mq-question textarea");
    if (box && event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      event.stopImmediatePropagation();
      sendBox();
    }
  }, true);
  document.addEventListener("input", (event) => {
    if (!(event.target.closest && event.target.closest("#mq-question textarea"))) return;
    updateCount();
    if (event.isTrusted) refuse(null);
  });
  document.addEventListener("keydown", (event) => {
    // Arrow keys move between the two tabs, as a tab list should.
    const tab = event.target.closest && event.target.closest("[data-action=tab]");
    if (tab && (event.key === "ArrowRight" || event.key === "ArrowLeft")) {
      const tabs = $$("[data-action=tab]");
      const next = tabs[(tabs.indexOf(tab) + (event.key === "ArrowRight" ? 1 : tabs.length - 1)) % tabs.length];
      showPanel(next.dataset.view);
      next.focus();
      event.preventDefault();
    }
    // Escape in the panel: back to the conversation (on a phone: closes the sheet).
    if (event.key === "Escape" && event.target.closest && event.target.closest("#mq-side")) {
      event.preventDefault();
      backToConversation();
    }
  });

  // --- on a phone: the sources' number on their button
  function updateCounts() {
    const button = $("#mq-phone-sources");
    if (!button) return;
    const cards = $$("#mq-sources .mq-sources > section .mq-source").length;
    button.textContent = cards ? say("sources_count", { n: String(cards) }) : say("tab_sources");
  }
  window.addEventListener("resize", () => { if (!narrow()) closeSheet(); }, { passive: true });

  // --- the half-typed question survives a reload (and a restart, which reloads the page)
  function watchDraft() {
    const box = questionBox();
    if (!box || box.dataset.mqDraft) return;
    box.dataset.mqDraft = "1";
    box.addEventListener("input", () => store.set("mq-draft", box.value || null));
  }
  function restoreDraft() {
    const box = questionBox();
    const draft = store.get("mq-draft");
    if (!box || !draft || box.value) return;
    setBox(draft);
  }

  // --- Gradio's toasts (English titles, over the header's buttons): our words instead, in place
  function replaceToasts() {
    for (const toast of $$("[data-testid=toast-body]")) {
      if (toast.dataset.mqSeen) continue;
      toast.dataset.mqSeen = "1";
      const message = (($("[data-testid=toast-text]", toast) || {}).textContent || "").trim();
      if (/connection/i.test(toast.textContent)) {
        const banner = $("#mq-connection");
        banner.textContent = say("reconnecting");
        banner.hidden = false;
      } else {
        refuse(message || say("failed"));
      }
    }
  }

  // --- keep the newest text in view while an answer streams, unless the reader scrolled up
  let pinned = true;
  function watchScroll() {
    const box = $("#mq-scroll");
    if (!box || box.dataset.mqScroll) return;
    box.dataset.mqScroll = "1";
    box.addEventListener("scroll", () => {
      pinned = box.scrollHeight - box.scrollTop - box.clientHeight < 80;
    }, { passive: true });
  }
  let lastLive = "";
  let lastTurns = -1;
  function onChange() {
    replaceToasts();
    watchDraft();
    watchScroll();
    settleFeedback();
    const box = $("#mq-scroll");
    const live = ($("#mq-live") || {}).textContent || "";
    const turns = $$("#mq-log .mq-exchange").length;
    if (box && (live !== lastLive || turns !== lastTurns)) {
      if (pinned || turns !== lastTurns) box.scrollTop = box.scrollHeight;
      if (turns > lastTurns && lastTurns >= 0 && !live) status(say("answer_done"));
      lastLive = live;
      lastTurns = turns;
      updateCounts();
    }
  }
  let scheduled = false;
  new MutationObserver(() => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => { scheduled = false; onChange(); });
  }).observe(document.body, { childList: true, subtree: true, characterData: true });
  // The header's height changes with the language and the window's width.
  if (window.ResizeObserver) new ResizeObserver(() => fitToWindow()).observe(document.body);

  window.mqChat = {
    // Called by the page's load event (ui/chat.py): the language to render in.
    start() {
      const lang = currentLanguage();
      applyLanguage(lang);
      applyTheme();
      return lang;
    },
    // Called once the restored conversation is on the page.
    restored() {
      showPanel("sources");
      fitToWindow();
      restoreDraft();
      resumePending();
      onChange();
    },
    switchLanguage(lang) {
      const next = lang === "en" ? "sv" : "en";
      store.set("mq-lang", next);
      applyLanguage(next);
      return next;
    },
    toggleTheme,
    outgoing,
    answered,
    reset,
    busy,
    language: currentLanguage,
  };
})();
