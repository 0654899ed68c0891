using System.Runtime.CompilerServices;

// Test assemblies that see the Parley assembly's internals, by their asmdef names (see Runtime/Core/AssemblyInfo.cs).
[assembly: InternalsVisibleTo("Parley.Tests")]
