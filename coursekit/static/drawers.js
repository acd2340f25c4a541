/* The theme's menus open as modal dialogs on narrow screens. A link inside one that stays on the
   same page (the page-contents drawer) would leave the dialog open over the text it points to:
   close the dialog when such a link is followed. */
document.addEventListener("click", (event) => {
  const link = event.target.closest && event.target.closest("dialog[open] a[href]");
  if (link) link.closest("dialog").close();
});
