// The translation pages' scripts: a TMX import sent to the API with its progress shown,
// and quick translation streamed sentence by sentence (NDJSON), again as the user types.
// Without the script the translation form still works (the server answers it whole); the
// import needs it.
(function () {
  "use strict";

  /** A request to the API as the signed-in browser: the session's CSRF token goes along. */
  function api(url, csrf, options) {
    const headers = Object.assign({ "X-CSRF-Token": csrf }, options.headers || {});
    return fetch(url, Object.assign({}, options, { headers: headers, credentials: "same-origin" }));
  }

  /** The message of an error answer (`{"code", "message"}`), else its status. */
  async function errorOf(response) {
    try {
      const body = await response.json();
      return body.message || String(response.status);
    } catch (_) {
      return String(response.status);
    }
  }

  // ------------------------------------------------------------ TMX import

  const importForm = document.getElementById("import-form");
  if (importForm) {
    const file = document.getElementById("tmx-file");
    const progress = document.getElementById("import-progress");
    const status = document.getElementById("import-status");
    const msg = importForm.dataset;

    const finished = function (report) {
      progress.hidden = true;
      const rejected = (report.rejected || []).length;
      status.textContent = msg.msgDone
        .replace("{read}", report.read)
        .replace("{inserted}", report.inserted)
        .replace("{merged}", report.merged)
        .replace("{rejected}", rejected);
      status.className = "note";
      // The unit count on the page is the store's: read it again.
      setTimeout(function () { window.location.reload(); }, 1500);
    };
    const failed = function (message) {
      progress.hidden = true;
      status.textContent = msg.msgFailed + " " + message;
      status.className = "error";
    };
    const follow = async function (job) {
      for (;;) {
        const response = await fetch("/api/v1/jobs/" + job, { credentials: "same-origin" });
        if (!response.ok) return failed(await errorOf(response));
        const view = await response.json();
        if (view.state === "done") return finished(view.result || {});
        if (view.state === "failed" || view.state === "interrupted") return failed(view.error || view.state);
        status.textContent = msg.msgReading.replace("{done}", view.done);
        await new Promise(function (resolve) { setTimeout(resolve, 400); });
      }
    };

    importForm.addEventListener("submit", async function (event) {
      event.preventDefault();
      const chosen = file.files && file.files[0];
      if (!chosen) {
        status.textContent = msg.msgChoose;
        status.className = "error";
        return;
      }
      progress.hidden = false;
      status.className = "";
      status.textContent = msg.msgReading.replace("{done}", 0);
      try {
        const response = await api("/api/v1/memories/" + importForm.dataset.memory + "/import", importForm.dataset.csrf, {
          method: "POST",
          headers: { "Content-Type": "application/x-tmx+xml" },
          body: chosen,
        });
        if (response.status === 202) return follow((await response.json()).job);
        if (!response.ok) return failed(await errorOf(response));
        finished(await response.json());
      } catch (error) {
        failed(String(error));
      }
    });
  }

  // ------------------------------------------------------------ quick translation

  const translateForm = document.getElementById("translate-form");
  if (translateForm) {
    const msg = translateForm.dataset;
    const list = document.getElementById("translated");
    const section = document.getElementById("translation");
    const status = document.getElementById("translate-status");

    const paragraph = function (className, text, lang) {
      const p = document.createElement("p");
      p.className = className;
      if (lang) p.lang = lang;
      p.textContent = text;
      return p;
    };
    const originText = function (origin) {
      if (origin.indexOf("tm:") === 0) return msg.msgOriginTm + " " + origin.slice(3) + "%";
      if (origin.indexOf("mt:") === 0) return msg.msgOriginMt + " " + origin.slice(3);
      return msg.msgOriginNone;
    };
    const show = function (sentence, from, to) {
      const item = document.createElement("li");
      item.appendChild(paragraph("source", sentence.source, from));
      item.appendChild(paragraph("target", sentence.target || "—", to));
      let meta = originText(sentence.origin);
      if (sentence.terms.length) {
        meta += " · " + msg.msgTerms + " " + sentence.terms.map(function (t) { return t.source + " → " + t.target; }).join(", ");
      }
      item.appendChild(paragraph("meta", meta));
      sentence.warnings.forEach(function (w) {
        const text = w.kind === "missing" ? msg.msgMissing + " " + w.source + " → " + w.required : msg.msgForbidden + " " + w.found;
        item.appendChild(paragraph("warning", text));
      });
      list.appendChild(item);
    };
    const checked = function (prefix) {
      return Array.from(translateForm.querySelectorAll("input[type=checkbox]"))
        .filter(function (box) { return box.checked && box.name.indexOf(prefix) === 0; })
        .map(function (box) { return box.name.slice(prefix.length); });
    };

    // One translation at a time: a new one (typing on, or the button) stops the last.
    let running = null;
    let lastText = null;
    const translate = async function () {
      if (running) running.abort();
      const controller = new AbortController();
      running = controller;
      const from = translateForm.elements.from.value;
      const to = translateForm.elements.to.value;
      const body = {
        text: translateForm.elements.text.value,
        from: from,
        to: to,
        engine: translateForm.elements.engine.value,
        min_score: Number(translateForm.elements.min_score.value || 75),
        memories: checked("tm:"),
        termbases: checked("tb:"),
      };
      lastText = body.text;
      section.hidden = false;
      list.replaceChildren();
      const old = document.getElementById("translate-error");
      if (old) old.remove();
      status.className = "";
      status.textContent = msg.msgWorking;
      let count = 0;
      try {
        const response = await api("/api/v1/translate/text", msg.csrf, {
          method: "POST",
          headers: { "Content-Type": "application/json", Accept: "application/x-ndjson" },
          body: JSON.stringify(body),
          signal: controller.signal,
        });
        if (!response.ok) {
          status.textContent = await errorOf(response);
          status.className = "error";
          return;
        }
        const reader = response.body.getReader();
        const decoder = new TextDecoder();
        let buffered = "";
        for (;;) {
          const chunk = await reader.read();
          if (chunk.done) break;
          buffered += decoder.decode(chunk.value, { stream: true });
          let end;
          while ((end = buffered.indexOf("\n")) >= 0) {
            const line = buffered.slice(0, end).trim();
            buffered = buffered.slice(end + 1);
            if (!line) continue;
            const item = JSON.parse(line);
            if (item.error) {
              status.textContent = item.error.message;
              status.className = "error";
              return;
            }
            show(item, from, to);
            count += 1;
            status.textContent = count + " " + msg.msgDone;
          }
        }
        status.textContent = count + " " + msg.msgDone;
      } catch (error) {
        if (error.name === "AbortError") return;
        status.textContent = String(error);
        status.className = "error";
      } finally {
        if (running === controller) running = null;
      }
    };

    translateForm.addEventListener("submit", function (event) {
      event.preventDefault();
      translate();
    });

    // As you type: a pause of 700 ms translates the text again (when it changed).
    let pause = null;
    translateForm.elements.text.addEventListener("input", function () {
      clearTimeout(pause);
      pause = setTimeout(function () {
        const text = translateForm.elements.text.value;
        if (text.trim() && text !== lastText) translate();
      }, 700);
    });
  }
})();
