// A button that starts something on the server (an import, a merge, a cleansing run) must start it
// once per press. Its `loading` state cannot guard it: the mutation's pending state reaches React a
// task later, and both clicks of a double click can land before that — each started a job (two dry
// runs, two imports creating every record twice). The guard is set in the click itself.

import type { UseMutationResult } from '@tanstack/react-query';
import { useRef } from 'react';

/** `mutation.mutate`, ignored while a run it started is on its way. */
export function useSubmitOnce<TData, TError, TVariables, TContext>(mutation: UseMutationResult<TData, TError, TVariables, TContext>): (variables: TVariables) => void {
  const busy = useRef(false);
  return (variables) => {
    if (busy.current) return;
    busy.current = true;
    mutation.mutate(variables, { onSettled: () => void (busy.current = false) });
  };
}
