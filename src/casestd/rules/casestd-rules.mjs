// Run casestd's portable rules (the CEL checks under "x-rules" in each entity schema of a
// release) on a record, with any CEL engine: @bufbuild/cel and @marcbachmann/cel-js below.
//
//   import * as bufbuild from "@bufbuild/cel";
//   import { strings } from "@bufbuild/cel/ext";
//   import * as celjs from "@marcbachmann/cel-js";
//   const engine = bufbuildEngine(bufbuild, strings);          // or marcbachmannEngine(celjs)
//   const rules = compileRules(engine, schema);                 // schema: child.schema.json
//   const vars = variables(engine, { now: "2026-03-01T12:00:00+04:00",
//                                    today: "2026-03-01T00:00:00Z",
//                                    deadlines: { high_risk_assessment: "86400s", ... } });
//   checkRecord(rules, record, vars);  // [{rule, severity, path}], [] when the record passes

// --- engines: compile(expression) returns a function of the variables -----------------

export function bufbuildEngine(cel, strings) {
  const env = cel.celEnv({ funcs: strings }); // lowerAscii() of the strings extension
  return {
    name: "@bufbuild/cel",
    compile(expression) {
      const program = cel.plan(env, cel.parse(expression));
      return (vars) => {
        const result = program(vars);
        if (cel.isCelError(result)) throw new Error(String(result.message ?? result));
        return result;
      };
    },
  };
}

export function marcbachmannEngine(celjs) {
  const env = new celjs.Environment({ unlistedVariablesAreDyn: true });
  return {
    name: "@marcbachmann/cel-js",
    compile(expression) {
      const program = env.parse(expression);
      return (vars) => program(vars);
    },
  };
}

// --- the profile's variables, made by the engine itself from their text ---------------

export function variables(engine, given) {
  const timestamp = engine.compile("timestamp(t)");
  const duration = engine.compile("duration(d)");
  const deadlines = {};
  for (const [name, text] of Object.entries(given.deadlines)) {
    deadlines[name] = duration({ d: text });
  }
  return {
    now: timestamp({ t: given.now }),
    today: timestamp({ t: given.today }),
    deadlines,
  };
}

// --- contexts: a JSON Pointer, "*" for each item of an array; null or missing: no match --

export function* matches(node, steps, indices = []) {
  if (node === null || node === undefined) return;
  if (steps.length === 0) {
    yield [indices, node];
    return;
  }
  const [step, ...rest] = steps;
  if (step === "*") {
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) yield* matches(node[i], rest, [...indices, i]);
    }
  } else if (typeof node === "object" && !Array.isArray(node) && Object.hasOwn(node, step)) {
    yield* matches(node[step], rest, indices);
  }
}

function steps(pointer) {
  return pointer === "" ? [] : pointer.slice(1).split("/").map(
    (s) => s.replaceAll("~1", "/").replaceAll("~0", "~"),
  );
}

function fill(path, indices) {
  let next = 0;
  return path.split("/").map((part) => (part === "*" ? String(indices[next++]) : part)).join("/");
}

// --- rules -------------------------------------------------------------------------------

export function compileRules(engine, schema) {
  const compiled = [];
  for (const rule of schema["x-rules"] ?? []) {
    if (!rule.portable) continue; // "portable": false comes with the reason it is not CEL
    for (const check of rule.cel) {
      compiled.push({
        rule: rule.id,
        severity: rule.severity,
        steps: steps(check.context),
        path: check.path,
        run: engine.compile(check.expression),
      });
    }
  }
  return compiled;
}

export function checkRecord(compiled, record, vars) {
  const findings = [];
  for (const check of compiled) {
    for (const [indices, value] of matches(record, check.steps)) {
      const verdict = check.run({ ...vars, self: value, record });
      if (verdict === true) continue;
      if (verdict !== false) throw new Error(`${check.rule}: not a boolean`);
      findings.push({ rule: check.rule, severity: check.severity, path: fill(check.path, indices) });
    }
  }
  return findings;
}
