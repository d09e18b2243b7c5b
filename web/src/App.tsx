/**
 * The top router. Staff pages (Ant Design) and citizen pages (plain React and a little CSS) are
 * separate chunks, so a citizen who scans a QR code downloads neither Ant Design nor ECharts.
 */
import { Suspense, lazy } from 'react';
import { Route, Switch } from 'wouter';
import { Loading } from './Loading.tsx';

const CitizenApp = lazy(() => import('./citizen/CitizenApp.tsx'));
const StaffApp = lazy(() => import('./staff/StaffApp.tsx'));

export function App() {
  return (
    <Suspense fallback={<Loading />}>
      <Switch>
        <Route path="/staff" nest>
          <StaffApp />
        </Route>
        <Route>
          <CitizenApp />
        </Route>
      </Switch>
    </Suspense>
  );
}
