// Run HTML_CodeSniffer (already in the page as window.HTMLCS) against WCAG 2 AA and return
// its messages with the facts about each element that helpers.HTMLCS_EXCLUSIONS needs to tell
// a real problem from a known false alarm. Evaluated by Playwright as a function.
() => new Promise((resolve, reject) => {
  const luminance = (rgb) => {
    const [r, g, b] = rgb.slice(0, 3).map((v) => {
      const c = v / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const channels = (colour) => (colour.match(/[\d.]+/g) || []).map(Number);
  const contrast = (a, b) => {
    const [l1, l2] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (l1 + 0.05) / (l2 + 0.05);
  };
  const facts = (el) => {
    if (!el || !el.tagName) {
      const pres = [...document.querySelectorAll('pre')];
      return {
        element: 'the document',
        preWraps: pres.every((pre) => getComputedStyle(pre).whiteSpace !== 'pre'
          && getComputedStyle(pre).whiteSpace !== 'nowrap'),
      };
    }
    const style = getComputedStyle(el);
    const rect = el.getBoundingClientRect();
    const classes = (el.getAttribute('class') || '').trim().split(/\s+/).filter(Boolean);
    const background = channels(style.backgroundColor);
    const opaque = background.length === 3 || (background.length === 4 && background[3] === 1);
    const ownText = [...el.childNodes]
      .filter((node) => node.nodeType === Node.TEXT_NODE)
      .map((node) => node.textContent).join(' ');
    const only = el.children.length === 1 ? el.children[0] : null;
    let text = el.tagName.toLowerCase();
    if (el.id) text += '#' + el.id;
    if (classes.length) text += '.' + classes.slice(0, 2).join('.');
    return {
      element: text + ' ' + (el.outerHTML || '').replace(/\s+/g, ' ').slice(0, 160),
      tag: el.tagName.toLowerCase(),
      classes,
      onlyChildClasses: only ? [...only.classList] : [],
      text: (el.textContent || '').replace(/\s+/g, ' ').trim(),
      ownWords: /[A-Za-z]{2,}/.test(ownText),
      // govuk-visually-hidden (and a skip link until it has focus) clip to one pixel.
      visuallyHidden: (rect.width <= 1 && rect.height <= 1)
        || Boolean(el.closest('.govuk-visually-hidden')),
      ownContrast: opaque ? contrast(channels(style.color), background) : null,
    };
  };
  HTMLCS.process('WCAG2AA', document, () => {
    resolve(HTMLCS.getMessages().map((m) => ({
      type: m.type, code: m.code, msg: m.msg, ...facts(m.element),
    })));
  }, () => reject(new Error('HTML_CodeSniffer failed')), 'en');
})
