// When the app's wasm stops (a trap: in the release build a panic aborts at once, and running
// out of memory traps too), nothing in the page can react any more. Say so in both languages,
// keep the editor's text where the app restores it from (its own save runs in the wasm), and
// offer a reload; the lab itself was autosaved by the app after the learner's last action.
(function () {
  "use strict";

  let shown = false;

  function keepEditorText() {
    try {
      const editor = window.kubelabEditor;
      // The app stores it as JSON text (gloo's LocalStorage), under storage.rs's EDITOR_KEY.
      if (editor) localStorage.setItem("kubelab.editor.text", JSON.stringify(editor.getValue()));
    } catch (e) {
      // Storage full or blocked: the notice below still shows.
    }
  }

  function show(error) {
    if (shown || !(error instanceof WebAssembly.RuntimeError)) return;
    shown = true;
    keepEditorText();
    const box = document.createElement("div");
    box.className = "stopped";
    box.setAttribute("role", "alert");
    box.dataset.testid = "lab-stopped";
    const text = document.createElement("div");
    const line = function (words) {
      const p = document.createElement("p");
      p.textContent = words;
      text.append(p);
    };
    line("The lab stopped after an internal error (" + error.message + "). Your editor text is " +
      "kept and the lab is as it was last saved: reload to go on.");
    line("实验环境因内部错误停止（" + error.message + "）。编辑器内容已保留，实验为最后一次保存时的" +
      "状态，重新加载即可继续。");
    const reload = document.createElement("button");
    reload.type = "button";
    reload.textContent = "Reload · 重新加载";
    reload.addEventListener("click", function () { location.reload(); });
    box.append(text, reload);
    document.body.append(box);
    reload.focus();
  }

  window.addEventListener("error", function (e) { show(e.error); });
  window.addEventListener("unhandledrejection", function (e) { show(e.reason); });
})();
