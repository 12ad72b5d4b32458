import { useStdout } from 'ink';
import { useEffect, useState } from 'react';
import type { Size } from '../terminal.js';
import { sizeOf } from '../terminal.js';

/** The terminal's size, following resizes. */
export function useTerminalSize(): Size {
  const { stdout } = useStdout();
  const [size, setSize] = useState(() => sizeOf(stdout));
  useEffect(() => {
    const onResize = () => setSize(sizeOf(stdout));
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return size;
}
