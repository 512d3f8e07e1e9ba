"use client";
// A windowed list with a fixed row height: of `count` rows, only those inside the scroll container (plus `overscan`
// above and below) are rendered, each absolutely placed at index * rowHeight inside a spacer of the full height. The
// cost of a render is the window's size, whatever the list's.
import { useCallback, useLayoutEffect, useRef, useState } from "react";

export function useVirtualWindow(count: number, rowHeight: number, overscan = 10) {
  const ref = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(640);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setViewport(el.clientHeight);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const first = Math.floor(scrollTop / rowHeight);
  const start = Math.max(0, first - overscan);
  const end = Math.min(count, first + Math.ceil(viewport / rowHeight) + overscan);

  const onScroll = useCallback((e: React.UIEvent<HTMLElement>) => setScrollTop(e.currentTarget.scrollTop), []);

  /** Scrolls just enough for row `index` to be fully visible; with `center`, a row out of view comes to the middle. */
  const scrollToIndex = useCallback(
    (index: number, center = false) => {
      const el = ref.current;
      if (!el || index < 0) return;
      const top = index * rowHeight;
      const outside = top < el.scrollTop || top + rowHeight > el.scrollTop + el.clientHeight;
      if (center && outside) el.scrollTop = Math.max(0, top - (el.clientHeight - rowHeight) / 2);
      else if (top < el.scrollTop) el.scrollTop = top;
      else if (top + rowHeight > el.scrollTop + el.clientHeight) el.scrollTop = top + rowHeight - el.clientHeight;
      setScrollTop(el.scrollTop);
    },
    [rowHeight],
  );

  return { ref, onScroll, start, end, totalHeight: count * rowHeight, pageRows: Math.max(1, Math.floor(viewport / rowHeight) - 1), scrollToIndex };
}
