// What the console's authentication middleware (session cookie or API key) puts on the context
// for every console route. Routes read the organizer from here and scope every query by it.
export interface ConsoleEnv {
  Variables: {
    organizerId: string;
    /** The signed-in person; null for API-key clients. */
    userId: string | null;
    /** The cookie session's CSRF token (GET /me returns it again); null for API-key clients. */
    csrfToken: string | null;
    /** `box_office` users reach only their routes (console/roles.ts). */
    role: 'owner' | 'box_office';
    /** Who acts, as an order's history names them: the user's email, or `api key: <its name>`. */
    actor: string;
    /** An API key's scopes (console/routes/scopes.ts); null for people, whose role decides. */
    scopes: readonly string[] | null;
  };
}
