import readline from 'node:readline';
import type { Writable } from 'node:stream';
import { decodeAction } from '../../core/actions.ts';
import type { Messenger } from '../../core/ports.ts';
import type { Actor } from '../../core/types.ts';
import { type BotDeps, handleSafely, handleText } from '../handlers.ts';
import { type Choice, renderReply } from './render.ts';

/**
 * The console bot: the same commands and cards as the chat platforms, in a terminal. Typed
 * numbers press the numbered buttons of the last answer.
 */

export interface ConsoleChat {
  /** Delivers alerts to this terminal while the chat runs. */
  messenger: Messenger;
  /** Resolves when the user quits (Ctrl-D, /quit) or the input ends. */
  closed: Promise<void>;
  close(): void;
}

export function startConsoleChat(options: {
  deps: BotDeps;
  actor: Actor;
  input: NodeJS.ReadableStream;
  output: Writable;
  interactive: boolean;
}): ConsoleChat {
  const { deps, actor, output } = options;
  const rl = readline.createInterface({
    input: options.input,
    output,
    terminal: options.interactive,
    prompt: 'jobping> ',
  });
  let choices = new Map<number, Choice>();
  const write = (text: string) => output.write(`${text}\n`);
  let progressShown = false;
  const conversation = {
    async progress(reply: { text: string }) {
      // On a terminal the progress line is rewritten in place; elsewhere each update is a line.
      if (options.interactive && progressShown) output.write('\x1b[1A\x1b[2K');
      write(reply.text.split('\n')[0]!);
      progressShown = true;
    },
  };

  async function answer(line: string) {
    const text = line.trim();
    if (!text) return;
    if (text === '/quit' || text === '/exit') {
      rl.close();
      return;
    }
    progressShown = false;
    const choice = /^\d+$/.test(text) ? choices.get(Number(text)) : undefined;
    if (/^\d+$/.test(text) && !choice) {
      write(`! There is no button ${text} on the last answer.`);
      return;
    }
    if (choice?.kind === 'open') {
      write(`Open in your browser: ${choice.url}`);
      return;
    }
    const command = choice ? decodeAction(choice.action) : null;
    const reply = command
      ? await handleSafely(deps, actor, command, conversation)
      : await handleText(deps, actor, text, conversation);
    const rendered = renderReply(reply);
    choices = rendered.choices;
    write(rendered.text);
  }

  // Lines are answered one at a time, in order, like a chat. Piped input may end (and close the
  // interface) before the answers are done: the chat counts as closed once they are.
  let inputClosed = false;
  let queue = Promise.resolve();
  rl.on('line', (line) => {
    queue = queue.then(async () => {
      try {
        await answer(line);
      } catch (err) {
        deps.logger.error({ err }, 'console chat failed');
        write('! Something went wrong; see the log.');
      }
      if (!inputClosed) rl.prompt();
    });
  });
  const closed = new Promise<void>((resolve) =>
    rl.on('close', () => {
      inputClosed = true;
      void queue.then(resolve);
    }),
  );
  write('JobPing console. Type /help for commands, /quit to leave.');
  rl.prompt();

  const messenger: Messenger = {
    platform: 'console',
    async send(target, reply) {
      const rendered = renderReply(reply, Math.max(0, ...choices.keys()) + 1);
      for (const [k, v] of rendered.choices) choices.set(k, v);
      write(`\n🔔 ${rendered.text}`);
      if (!inputClosed) rl.prompt(true);
      return { ref: { console: target.externalId } };
    },
  };
  return { messenger, closed, close: () => rl.close() };
}
