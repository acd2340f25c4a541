/* Learning to Fall: search results with a readable snippet. Sphinx takes a page's text with all the
   whitespace of its HTML, so a result that matched a page's title showed its heading and then a run of
   blank space ("Module 4: Shame Contents"). Here the text is read as a reader sees it: the menu of
   contents and the "On this page" navigation left out, runs of space made one. Runs only on the search
   page; elsewhere it does nothing. */
(() => {
  "use strict";
  if (typeof Search === "undefined" || typeof Search.htmlToText !== "function") return;
  const original = Search.htmlToText;
  Search.htmlToText = (htmlString, anchor) => {
    const doc = new DOMParser().parseFromString(htmlString, "text/html");
    doc.querySelectorAll(".toctree-wrapper, nav, .reading-time, .visually-hidden").forEach((el) => el.remove());
    const text = original(new XMLSerializer().serializeToString(doc), anchor);
    return text.replace(/\s+/g, " ").trim();
  };
})();
