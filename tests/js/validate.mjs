// Validate casestd payloads with Ajv (JSON Schema draft 2020-12, strict mode).
//
// Reads one JSON request on stdin:
//   {"keywords": ["x-personal-data", ...],        // casestd's x- annotation keywords
//    "schemas": {"child": {...}, "bundle": {...}}, // name -> schema
//    "cases": [{"entity": "child", "data": {...}}, ...],
//    "resources": [{...}],                          // schemas others refer to ($id), optional
//    "probe_without_keywords": true}              // optional, see below
// An entity may also be a reference such as "bundle#/$defs/child".
// Prints one JSON document on stdout:
//   {"ajv": "<version>",
//    "compiled": {"child": true | "<Ajv error message>", ...},
//    "results": [true | false | "<error message>", ...],  // one per case, in order
//    "compiled_without_keywords": {"child": true | "<Ajv error message>", ...}}
// The last is there only with "probe_without_keywords": each schema (and each
// entry of its $defs) compiled again without the x- vocabulary, which strict
// mode must refuse.
// A case whose schema did not compile gets the compile error as its result.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const require = createRequire(import.meta.url);
const ajvVersion = require("ajv/package.json").version;

const request = JSON.parse(readFileSync(0, "utf8"));
const keywords = request.keywords ?? [];
const schemas = request.schemas ?? {};
const cases = request.cases ?? [];
const resources = request.resources ?? [];

// An Ajv instance for one schema, with the resources it refers to (such as the code
// lists, codes.schema.json) added, except those the schema embeds itself (the bundle).
function newAjv(schema, vocabulary = keywords) {
  const ajv = new Ajv2020({ strict: true, allErrors: false });
  addFormats(ajv);
  ajv.addVocabulary(vocabulary);
  const inside = new Set(Object.values(schema.$defs ?? {}).map((d) => d?.$id).filter(Boolean));
  for (const resource of resources) {
    if (resource.$id !== schema.$id && !inside.has(resource.$id)) {
      ajv.addSchema(resource);
    }
  }
  return ajv;
}

function message(error) {
  return error instanceof Error ? error.message : String(error);
}

// Compile a schema and every entry of its $defs: Ajv compiles a subschema only
// when something refers to it, so without this a strict-mode error inside an
// unreferenced definition (such as the entities inside the bundle) would go unseen.
function compileAll(ajv, schema) {
  const validate = ajv.compile(schema);
  for (const key of Object.keys(schema.$defs ?? {})) {
    const ref = `${schema.$id ?? ""}#/$defs/${key.replaceAll("~", "~0").replaceAll("/", "~1")}`;
    if (ajv.getSchema(ref) === undefined) {
      throw new Error(`cannot compile ${ref}`);
    }
  }
  return validate;
}

// One Ajv instance per schema: every entity schema is compiled on its own, the
// way a consumer would load one published file, so that a schema whose $id is
// also inside the bundle does not clash with it.
const compiled = {};
const validators = {};
for (const [name, schema] of Object.entries(schemas)) {
  try {
    const ajv = newAjv(schema);
    validators[name] = { ajv, validate: compileAll(ajv, schema), id: schema.$id };
    compiled[name] = true;
  } catch (error) {
    compiled[name] = message(error);
  }
}

function validatorFor(entity) {
  const [name, fragment] = entity.split("#", 2);
  const entry = validators[name];
  if (entry === undefined) {
    throw new Error(
      name in compiled ? `schema ${name} did not compile: ${compiled[name]}` : `no schema ${name}`,
    );
  }
  if (fragment === undefined) {
    return entry.validate;
  }
  const ref = `${entry.id ?? ""}#${fragment}`;
  const found = entry.ajv.getSchema(ref);
  if (found === undefined) {
    throw new Error(`no schema at ${ref}`);
  }
  return found;
}

const results = cases.map(({ entity, data }) => {
  try {
    return validatorFor(entity)(data) === true;
  } catch (error) {
    return message(error);
  }
});

const output = { ajv: ajvVersion, compiled, results };
if (request.probe_without_keywords) {
  output.compiled_without_keywords = {};
  for (const [name, schema] of Object.entries(schemas)) {
    try {
      compileAll(newAjv(schema, []), schema);
      output.compiled_without_keywords[name] = true;
    } catch (error) {
      output.compiled_without_keywords[name] = message(error);
    }
  }
}
process.stdout.write(JSON.stringify(output) + "\n");
