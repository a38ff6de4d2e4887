import ts from "typescript";
const cfg = ts.getParsedCommandLineOfConfigFile("tsconfig.json", {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
const program = ts.createProgram(["src/db/_probe.ts"], cfg.options);
const checker = program.getTypeChecker();
const sf = program.getSourceFile("src/db/_probe.ts");
function visit(n) {
  if (ts.isVariableDeclaration(n) && n.name.getText() === "x") {
    const t = checker.getTypeAtLocation(n.name);
    for (const p of t.getProperties()) console.log(p.name, "=>", checker.typeToString(checker.getTypeOfSymbolAtLocation(p, n), undefined, ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.InTypeAlias));
  }
  ts.forEachChild(n, visit);
}
visit(sf);
