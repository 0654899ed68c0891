using System.Runtime.CompilerServices;

// Test assemblies that see Parley.Core's internals, by their asmdef names. Declared here, not in a .NET project, so
// that Unity, which compiles each asmdef folder as its own assembly, grants exactly what the host build grants
// (TestAssemblyGrantTests). Parley.Tests: Tests/Unity's asmdef, and the host project that compiles all of Tests/.
[assembly: InternalsVisibleTo("Parley.Tests")]
