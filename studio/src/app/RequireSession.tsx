// Shows the sign-in page until someone is signed in, then the app.

import { SignInPage } from '../auth/SignInPage.tsx';
import { PageLoading } from './PageLoading.tsx';
import { useSession } from './session.tsx';

export function RequireSession({ children }: { children: React.ReactNode }) {
  const { me, loading } = useSession();
  if (loading) return <PageLoading />;
  if (!me) return <SignInPage />;
  return <>{children}</>;
}
