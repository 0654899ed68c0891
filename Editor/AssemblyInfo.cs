using System.Runtime.CompilerServices;

// Test assemblies that see Parley.Editor's internals, by their asmdef names (see Runtime/Core/AssemblyInfo.cs).
// Parley.Editor.Tests (Tests/Editor) reads SerializedStrings; Parley.Tests is the host project over all of Tests/.
[assembly: InternalsVisibleTo("Parley.Editor.Tests")]
[assembly: InternalsVisibleTo("Parley.Tests")]
