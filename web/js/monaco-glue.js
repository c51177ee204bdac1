// Loads Monaco from this site's own vs/ folder (never a CDN) and gives the wasm app a small
// API. Kept tiny on purpose: all editor behaviour (what to mark, which snippets) is decided
// in Rust; this file only translates to Monaco's calls.
(function () {
  "use strict";
  let loading = null;
  let snippetsRegistered = false;
  let fieldDocsRegistered = false;

  // Monaco's own strings (menus, find widget, command palette) come from
  // vs/nls.messages.<locale>.js, which must be loaded before the editor's modules: they read
  // their strings as they load, so the first editor's locale holds for the page's life.
  function loadMonaco(locale) {
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        if (typeof window.require !== "function" || !window.require.config) {
          reject(new Error("the Monaco loader (vs/loader.js) did not load"));
          return;
        }
        window.require.config({ paths: { vs: new URL("vs", document.baseURI).href } });
        const main = function () {
          window.require(["vs/editor/editor.main"], function () { resolve(window.monaco); }, reject);
        };
        if (locale) window.require(["vs/nls.messages." + locale], main, reject);
        else main();
      });
    }
    return loading;
  }

  function themeName(theme) { return theme === "dark" ? "vs-dark" : "vs"; }

  window.kubelabMonaco = {
    create: function (host, text, onChange, theme, locale) {
      return loadMonaco(locale).then(function (monaco) {
        // Hover cards and suggestion lists are drawn in a layer of their own on the page,
        // fixed to the viewport, so the editor pane's edges do not cut them off.
        const overflow = document.createElement("div");
        overflow.className = "monaco-editor kubelab-overflow-widgets";
        document.body.appendChild(overflow);
        const editor = monaco.editor.create(host, {
          value: text,
          language: "yaml",
          theme: themeName(theme),
          automaticLayout: true,
          minimap: { enabled: false },
          scrollBeyondLastLine: false,
          fontSize: 13,
          tabSize: 2,
          insertSpaces: true,
          // YAML's grammar reads a key being typed as a plain string, so suggestions must be
          // allowed in strings to appear as the learner types. They come only from the
          // kinds' schemas and the templates, never from words seen elsewhere in the text.
          quickSuggestions: { other: true, strings: true, comments: false },
          wordBasedSuggestions: "off",
          fixedOverflowWidgets: true,
          overflowWidgetsDomNode: overflow,
        });
        editor.onDidDispose(function () { overflow.remove(); });
        editor.onDidChangeModelContent(function () { onChange(editor.getValue()); });
        // Tab indents YAML, so a keyboard user leaves the editor with Escape, then Tab (or
        // Shift+Tab), instead of being held in it (keys.js, shared with the terminal).
        const leave = window.kubelabKeys.escapeThenTab(editor.getDomNode());
        editor.onKeyDown(function (e) {
          if (leave(e.browserEvent)) {
            e.preventDefault();
            e.stopPropagation();
          }
        });
        window.kubelabEditor = editor; // handy for tests and the browser console
        return editor;
      });
    },
    dispose: function (editor) {
      if (editor && typeof editor.dispose === "function") editor.dispose();
    },
    setValue: function (editor, text) {
      if (editor && editor.getValue() !== text) editor.setValue(text);
    },
    // markers: [{line, column, message, warning}] (1-based); each underlines to the end of
    // its line, as an error or, for a warning of the dry run, as a warning.
    setMarkers: function (editor, markers) {
      const monaco = window.monaco;
      const model = editor && editor.getModel();
      if (!monaco || !model) return;
      const lines = model.getLineCount();
      monaco.editor.setModelMarkers(model, "kubelab", markers.map(function (m) {
        const line = Math.min(Math.max(1, m.line), lines);
        const end = model.getLineMaxColumn(line);
        const start = Math.min(Math.max(1, m.column), Math.max(1, end - 1));
        return {
          startLineNumber: line, startColumn: start, endLineNumber: line, endColumn: end,
          message: m.message, source: "kubelab",
          severity: m.warning ? monaco.MarkerSeverity.Warning : monaco.MarkerSeverity.Error,
        };
      }));
    },
    setTheme: function (theme) {
      if (window.monaco) window.monaco.editor.setTheme(themeName(theme));
    },
    insertText: function (editor, text) {
      if (!editor) return;
      const selection = editor.getSelection();
      editor.executeEdits("kubelab-template", [{ range: selection, text: text, forceMoveMarkers: true }]);
      editor.focus();
    },
    // Replaces the text as one undoable edit and puts the cursor at the top (a new buffer).
    replaceText: function (editor, text) {
      if (!editor) return;
      const model = editor.getModel();
      if (model.getValue() !== text) {
        editor.executeEdits("kubelab-open", [{ range: model.getFullModelRange(), text: text }]);
      }
      editor.setPosition({ lineNumber: 1, column: 1 });
      editor.revealLine(1);
    },
    // The cursor as {line, column} (1-based).
    cursor: function (editor) {
      const p = editor && editor.getPosition();
      return p ? { line: p.lineNumber, column: p.column } : { line: 1, column: 1 };
    },
    // Ctrl+S (⌘S) saves/applies and Ctrl+Shift+E explains, calling back into the app; the
    // explain command is also in the editor's context menu and command palette.
    addCommands: function (editor, onSave, onExplain, explainLabel) {
      const monaco = window.monaco;
      if (!editor || !monaco) return;
      editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyS, function () { onSave(); });
      editor.addAction({
        id: "kubelab.explain",
        label: explainLabel,
        keybindings: [monaco.KeyMod.CtrlCmd | monaco.KeyMod.Shift | monaco.KeyCode.KeyE],
        contextMenuGroupId: "navigation",
        run: function (ed) {
          const p = ed.getPosition();
          onExplain(p.lineNumber, p.column);
        },
      });
    },
    // Field completion and hover docs for YAML. complete(text, line, column) returns
    // [{label, detail, documentation, insertText}]; hover(text, line, column) returns
    // markdown or null. Both are decided in Rust from the kinds' schemas.
    registerFieldDocs: function (complete, hover) {
      if (fieldDocsRegistered || !window.monaco) return;
      fieldDocsRegistered = true;
      const monaco = window.monaco;
      monaco.languages.registerCompletionItemProvider("yaml", {
        provideCompletionItems: function (model, requested) {
          // A request made before the text last changed can name a line that is gone.
          const position = model.validatePosition(requested);
          const word = model.getWordUntilPosition(position);
          const range = {
            startLineNumber: position.lineNumber, endLineNumber: position.lineNumber,
            startColumn: word.startColumn, endColumn: word.endColumn,
          };
          const items = complete(model.getValue(), position.lineNumber, position.column) || [];
          return {
            suggestions: items.map(function (f, i) {
              return {
                label: f.label, kind: monaco.languages.CompletionItemKind.Field,
                detail: f.detail, documentation: { value: f.documentation },
                insertText: f.insertText, range: range, sortText: String(1000 + i),
              };
            }),
          };
        },
      });
      monaco.languages.registerHoverProvider("yaml", {
        provideHover: function (model, requested) {
          const position = model.validatePosition(requested);
          const word = model.getWordAtPosition(position);
          if (!word) return null;
          const text = hover(model.getValue(), position.lineNumber, position.column);
          if (!text) return null;
          return {
            range: new monaco.Range(position.lineNumber, word.startColumn, position.lineNumber, word.endColumn),
            contents: [{ value: text }],
          };
        },
      });
    },
    // snippets: [{label, text, detail}] offered as YAML completions where a whole manifest
    // can start: at the top level, with at most a word typed on the line.
    registerSnippets: function (snippets) {
      if (snippetsRegistered || !window.monaco) return;
      snippetsRegistered = true;
      const monaco = window.monaco;
      monaco.languages.registerCompletionItemProvider("yaml", {
        provideCompletionItems: function (model, requested) {
          // A request made before the text last changed can name a line that is gone.
          const position = model.validatePosition(requested);
          const before = model.getLineContent(position.lineNumber).slice(0, position.column - 1);
          if (!/^[A-Za-z0-9-]*$/.test(before)) return { suggestions: [] };
          const word = model.getWordUntilPosition(position);
          const range = {
            startLineNumber: position.lineNumber, endLineNumber: position.lineNumber,
            startColumn: word.startColumn, endColumn: word.endColumn,
          };
          return {
            suggestions: snippets.map(function (s) {
              return {
                label: s.label, kind: monaco.languages.CompletionItemKind.Snippet,
                detail: s.detail, documentation: s.text, insertText: s.text, range: range,
              };
            }),
          };
        },
      });
    },
  };
})();
