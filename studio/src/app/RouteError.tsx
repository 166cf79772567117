// What a route shows when it throws (loaded only then: App.tsx imports it lazily).

import { useRouteError } from 'react-router';
import { ErrorState } from './PageStates.tsx';

export default function RouteError() {
  return <ErrorState error={useRouteError()} retry={() => location.reload()} />;
}
