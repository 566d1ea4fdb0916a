// Run casestd's portable rules with two JavaScript CEL engines, for tests/test_rules_cel_js.py.
//
// Reads one JSON request on stdin:
//   {"module": "/path/to/casestd-rules.mjs",            // casestd's engine-agnostic runner
//    "schemas": {"child": {...}, ...},                   // entity schemas with their x-rules
//    "tests": [{"entity": "child", "record": {...},
//               "variables": {"now": ..., "today": ..., "deadlines": {...}}}, ...]}
// Prints {"engines": {"<engine>": [[{rule, severity, path}, ...] | {"error": "..."}, ...]}},
// one entry per test, in order, for each engine.
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

import * as bufbuild from "@bufbuild/cel";
import { strings } from "@bufbuild/cel/ext";
import * as celjs from "@marcbachmann/cel-js";

const request = JSON.parse(readFileSync(0, "utf8"));
const casestd = await import(pathToFileURL(request.module).href);
const engines = [casestd.bufbuildEngine(bufbuild, strings), casestd.marcbachmannEngine(celjs)];

const out = {};
for (const engine of engines) {
  const compiled = {};
  for (const [entity, schema] of Object.entries(request.schemas)) {
    compiled[entity] = casestd.compileRules(engine, schema);
  }
  const made = new Map();
  out[engine.name] = request.tests.map((test) => {
    try {
      const key = JSON.stringify(test.variables);
      if (!made.has(key)) made.set(key, casestd.variables(engine, test.variables));
      return casestd.checkRecord(compiled[test.entity], test.record, made.get(key));
    } catch (error) {
      return { error: error instanceof Error ? error.message.split("\n")[0] : String(error) };
    }
  });
}
process.stdout.write(JSON.stringify({ engines: out }));
