// Loads each package named on the command line with CommonJS require() (as tslab's compiled cells do) and
// with ESM import(), and fails unless both expose at least one export.
const failures = [];

async function check(name) {
  let required;
  try {
    required = require(name);
  } catch (err) {
    failures.push(`${name}: require() failed: ${err.message}`);
  }
  if (required && Object.keys(required).length === 0) failures.push(`${name}: require() gave no export`);
  let imported;
  try {
    imported = await import(name);
  } catch (err) {
    failures.push(`${name}: import() failed: ${err.message}`);
  }
  if (imported && Object.keys(imported).length === 0) failures.push(`${name}: import() gave no export`);
  if (required && imported) {
    console.log(
      `${name}: ${Object.keys(imported).length} exports (import), ${Object.keys(required).length} (require)`,
    );
  }
}

(async () => {
  for (const name of process.argv.slice(2)) await check(name);
  if (failures.length) {
    console.error(failures.join('\n'));
    process.exit(1);
  }
})();
