// modelbazaar hub: stream the chat answer (progressive enhancement; the form works without it).
"use strict";
(function () {
  const ask = document.getElementById("ask");
  const out = document.getElementById("answer");
  const feedback = document.getElementById("feedback");
  if (!ask || !out || !feedback || !window.fetch || !window.TextDecoder) return;
  ask.addEventListener("submit", async function (event) {
    event.preventDefault();
    const button = ask.querySelector("button");
    button.disabled = true;
    out.textContent = "";
    feedback.hidden = true;
    try {
      const response = await fetch(ask.dataset.stream, { method: "POST", body: new FormData(ask), credentials: "same-origin" });
      if (!response.ok) { ask.submit(); return; }  // let the server render the error page
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end;
        while ((end = buffer.indexOf("\n")) >= 0) {
          const line = JSON.parse(buffer.slice(0, end));
          buffer = buffer.slice(end + 1);
          if (line.delta !== undefined) out.textContent += line.delta;  // text, never HTML
          if (line.done) {
            out.textContent = line.answer;
            feedback.elements.version.value = line.version;
            feedback.elements.prompt.value = ask.elements.prompt.value.trim();
            feedback.elements.answer.value = line.answer;
            feedback.elements.mac.value = line.mac;
            feedback.hidden = false;
          }
        }
      }
    } finally {
      button.disabled = false;
    }
  });
})();
