import { useEffect, useRef } from "react";
import { setNavigationGuard } from "../router";

/** While `dirty`, in-app navigation asks `question` first and closing the tab gets the browser's prompt. */
export function useUnsavedChangesGuard(dirty: boolean, question: string): void {
  const dirtyRef = useRef(dirty);
  dirtyRef.current = dirty;
  useEffect(() => {
    setNavigationGuard(() => (dirtyRef.current ? question : null));
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      if (!dirtyRef.current) return;
      event.preventDefault();
      event.returnValue = "";
    };
    window.addEventListener("beforeunload", onBeforeUnload);
    return () => {
      setNavigationGuard(null);
      window.removeEventListener("beforeunload", onBeforeUnload);
    };
  }, [question]);
}
