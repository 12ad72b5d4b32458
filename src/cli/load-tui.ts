// Ink asks is-in-ci once, when it is first imported, whether it runs under CI (the CI or
// CONTINUOUS_INTEGRATION variables), and if so draws nothing but the last frame on exit: an
// interactive report would be a blank screen. A CI variable exported in a developer's shell, or
// inherited by a terminal opened from a CI job, does not make the terminal less real: the CLI has
// already checked that stdin and stdout are terminals, so the check is hidden while Ink loads.
const CI_VARIABLES = ['CI', 'CONTINUOUS_INTEGRATION'] as const;

export type Tui = typeof import('../report/tui/index.js');

let loaded: Promise<Tui> | undefined;

export function loadTui(): Promise<Tui> {
  loaded ??= importWithoutCi(process.env);
  return loaded;
}

async function importWithoutCi(env: NodeJS.ProcessEnv): Promise<Tui> {
  const saved = CI_VARIABLES.map((name) => [name, env[name]] as const);
  for (const name of CI_VARIABLES) Reflect.deleteProperty(env, name);
  try {
    return await import('../report/tui/index.js');
  } finally {
    for (const [name, value] of saved) if (value !== undefined) env[name] = value;
  }
}
