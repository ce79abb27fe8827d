import { nodeId } from './ids';
import type { FakeUser, UserType } from './model';

/** The Copilot coding agent as REST shows it (PR author, assignee); GraphQL calls it `copilot-swe-agent`. */
export const copilotLogin = 'Copilot';
/** The account of Google's Jules GitHub app, which opens the PRs of Jules sessions. */
export const julesBotLogin = 'google-labs-jules[bot]';
export const copilotGraphqlLogin = 'copilot-swe-agent';
/** The assignee name REST clients send to hand an issue to Copilot. */
export const copilotAssigneeLogin = 'copilot-swe-agent[bot]';
export const copilotAppSlug = 'copilot-swe-agent';
const copilotAliases = new Set([copilotLogin, copilotGraphqlLogin, copilotAssigneeLogin].map(login => login.toLowerCase()));

/** GitHub Apps the fake knows: they own check suites and act in Copilot's events. */
export interface FakeApp {
  readonly id: number;
  readonly slug: string;
  readonly name: string;
  readonly owner: string;
}

const knownApps: readonly FakeApp[] = [
  { id: 15368, slug: 'github-actions', name: 'GitHub Actions', owner: 'github' },
  { id: 1143301, slug: copilotAppSlug, name: 'Copilot', owner: 'github' },
];

/** Every account the fake has seen, by REST login (case-insensitive, as on GitHub). */
export class UserRegistry {
  private readonly byLogin = new Map<string, FakeUser>();
  private nextId = 1;

  constructor(private readonly createdAt: string) {
    this.add({ login: copilotLogin, graphqlLogin: copilotGraphqlLogin, id: 198982749, nodeId: nodeId('Bot', 198982749), type: 'Bot', name: 'Copilot', email: null, createdAt });
    // Jules' GitHub app opens its PRs as this bot (REST `google-labs-jules[bot]`, GraphQL `google-labs-jules`).
    this.add({ login: julesBotLogin, graphqlLogin: 'google-labs-jules', id: 161369871, nodeId: nodeId('Bot', 161369871), type: 'Bot', name: 'google-labs-jules[bot]', email: null, createdAt });
    this.add({ login: 'github', graphqlLogin: 'github', id: 9919, nodeId: nodeId('Organization', 9919), type: 'Organization', name: 'GitHub', email: null, createdAt });
  }

  /** The account with this login, created as a plain user (or organization) on first mention. */
  get(login: string, type: UserType = 'User'): FakeUser {
    if (isCopilot(login)) return this.copilot;
    const existing = this.byLogin.get(login.toLowerCase());
    if (existing !== undefined) return existing;
    const id = this.nextId++;
    return this.add({ login, graphqlLogin: login, id, nodeId: nodeId(type === 'Organization' ? 'Organization' : type === 'Bot' ? 'Bot' : 'User', id), type, name: null, email: null, createdAt: this.createdAt });
  }

  find(login: string): FakeUser | undefined {
    return isCopilot(login) ? this.copilot : this.byLogin.get(login.toLowerCase());
  }

  byNodeId(id: string): FakeUser | undefined {
    for (const user of this.byLogin.values()) if (user.nodeId === id) return user;
    return undefined;
  }

  /** Sets a user's display name (scenario `user.name`). */
  define(login: string, name: string | null): FakeUser {
    const user = { ...this.get(login), name };
    this.byLogin.set(login.toLowerCase(), user);
    return user;
  }

  get copilot(): FakeUser {
    return this.byLogin.get(copilotLogin.toLowerCase())!;
  }

  app(slug: string): FakeApp {
    return knownApps.find(app => app.slug === slug) ?? { id: 900000 + slug.length, slug, name: slug, owner: 'github' };
  }

  private add(user: FakeUser): FakeUser {
    this.byLogin.set(user.login.toLowerCase(), user);
    return user;
  }
}

/** `Copilot`, `copilot-swe-agent` and `copilot-swe-agent[bot]` all name the coding agent. */
export function isCopilot(login: string): boolean {
  return copilotAliases.has(login.toLowerCase());
}
