// kpsite markup: copy buttons on code blocks and self-check quizzes.
// Plain DOM, no framework. Without JavaScript nothing here exists: code
// has no copy button and each quiz shows its answer in a <details>.
// UI strings come from the theme (data-* attributes of this script tag).
(() => {
  "use strict";
  const me = document.currentScript;
  const t = (k) => (me && me.dataset[k]) || k;

  // One polite live region for the whole page announces "copied".
  let live;
  function announce(text) {
    if (!live) {
      live = document.createElement("p");
      live.className = "visually-hidden";
      live.setAttribute("aria-live", "polite");
      document.body.append(live);
    }
    live.textContent = "";
    // A fresh text node after a tick, so the same message is read again.
    setTimeout(() => { live.textContent = text; }, 50);
  }

  async function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return;
    }
    // http:// previews: the older path through a hidden textarea.
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.append(area);
    area.select();
    const ok = document.execCommand("copy");
    area.remove();
    if (!ok) throw new Error("copy refused");
  }

  function addCopyButton(block) {
    if (block.querySelector(".code-copy")) return;
    const code = block.querySelector("pre code");
    if (!code) return;
    let head = block.querySelector(".code-head");
    if (!head) {
      head = document.createElement("div");
      head.className = "code-head";
      block.prepend(head);
    }
    const button = document.createElement("button");
    button.type = "button";
    button.className = "code-copy";
    button.textContent = t("copy");
    button.addEventListener("click", async () => {
      try {
        await copy(code.textContent);
        button.textContent = t("copied");
        announce(t("copied"));
      } catch (e) {
        button.textContent = t("copyFailed");
        announce(t("copyFailed"));
      }
      setTimeout(() => { button.textContent = t("copy"); }, 2000);
    });
    head.append(button);
  }

  function setUpQuiz(form) {
    if (form.dataset.ready) return;
    form.dataset.ready = "1";
    const answer = Number(form.dataset.answer);
    const result = form.querySelector(".quiz-result");
    const details = form.querySelector(".quiz-answer");
    const button = document.createElement("button");
    button.type = "submit";
    button.className = "button secondary quiz-check";
    button.textContent = t("check");
    form.querySelector("fieldset").after(button);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const chosen = form.querySelector("input[type=radio]:checked");
      form.classList.remove("right", "wrong");
      if (!chosen) {
        result.textContent = t("choose");
        return;
      }
      const right = Number(chosen.value) === answer;
      form.classList.add(right ? "right" : "wrong");
      result.textContent = right ? t("right") : t("wrong");
      if (details) details.open = true;
    });
  }

  function enhance(root) {
    for (const block of root.querySelectorAll(".code-block")) addCopyButton(block);
    for (const form of root.querySelectorAll("form.quiz")) setUpQuiz(form);
  }

  enhance(document);
  // Paid lessons opened in place (delivery: encrypted) arrive later.
  new MutationObserver((changes) => {
    for (const change of changes) {
      for (const node of change.addedNodes) {
        if (node.nodeType === 1) enhance(node);
      }
    }
  }).observe(document.body, { childList: true, subtree: true });
})();
