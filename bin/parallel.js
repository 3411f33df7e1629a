#!/usr/bin/env node
// Runs npm scripts side by side and fails if any of them fails: `node bin/parallel.js typecheck lint`.
// Each script's output is held back and printed whole when it ends, so logs never interleave.
import { spawn } from 'node:child_process';

const scripts = process.argv.slice(2);
const results = await Promise.all(
  scripts.map(
    (name) =>
      new Promise((resolve) => {
        const started = Date.now();
        const child = spawn('npm', ['run', '-s', name], { stdio: ['ignore', 'pipe', 'pipe'] });
        const out = [];
        child.stdout.on('data', (b) => out.push(b));
        child.stderr.on('data', (b) => out.push(b));
        child.on('close', (code) => {
          const seconds = ((Date.now() - started) / 1000).toFixed(0);
          process.stdout.write(`\n> ${name}: ${code === 0 ? 'passed' : `failed (${code})`} in ${seconds} s\n`);
          process.stdout.write(Buffer.concat(out));
          resolve(code);
        });
      }),
  ),
);
process.exit(results.every((code) => code === 0) ? 0 : 1);
