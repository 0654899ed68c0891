using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using NUnit.Framework.Api;
using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;

namespace Parley.Tests.Mono
{
    /// <summary>
    /// Runs a test assembly (Parley.Core.Tests) under Mono through NUnit's own framework runner
    /// (NUnitTestAssemblyRunner, the API NUnitLite's TextRunner drives; NUnitLite itself is not served by the NuGet
    /// source here) and closes on one line, "mono: N passed, N failed, N skipped", that Tools~/test reads.
    /// Usage: mono Parley.MonoTestRunner.dll TESTS.dll [--contains TEXT]... (run tests whose full name contains a TEXT).
    /// Exit code: 0 all passed, 1 a test failed, 2 the run itself failed or, unfiltered, nothing passed.
    /// </summary>
    public static class MonoTestRunner
    {
        // NUnit redirects Console.Out to the running test's output while tests run; failures go to the real one.
        static readonly System.IO.TextWriter Out = Console.Out;

        public static int Main(string[] args)
        {
            var clock = Stopwatch.StartNew();
            if (args.Length == 0 || !File.Exists(args[0]))
            {
                Console.Error.WriteLine("usage: mono Parley.MonoTestRunner.dll TESTS.dll [--contains TEXT]...");
                return 2;
            }
            var filter = ParseFilter(args.Skip(1).ToArray());
            if (filter == null) return 2;
            Console.WriteLine("Parley.Core.Tests on " + RuntimeName());

            // Retargeted copies load from their own folder; NUnit stays the runner's (one nunit.framework in the process).
            var into = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(args[0])), "mono-retargeted");
            var changed = MonoCorlibRetarget.Copy(args[0], into, new[] { "nunit.framework.dll" });
            foreach (var kv in changed) Console.WriteLine("retargeted " + kv.Value + " ReadOnlySpan call sites in " + kv.Key + " for Debian's corlib");
            var tests = Assembly.LoadFrom(Path.Combine(into, Path.GetFileName(args[0])));

            var runner = new NUnitTestAssemblyRunner(new DefaultTestAssemblyBuilder());
            var loaded = runner.Load(tests, new Dictionary<string, object>());
            if (loaded.RunState == RunState.NotRunnable)
            {
                Console.WriteLine("could not load the tests: " + loaded.Properties.Get(PropertyNames.SkipReason));
                Console.WriteLine("mono: 0 passed, 1 failed, 0 skipped");
                return 2;
            }
            var counts = new Counts();
            runner.Run(new Listener(counts), filter);
            Console.WriteLine("{0} tests in {1:F1} s", counts.Passed + counts.Failed + counts.Skipped, clock.Elapsed.TotalSeconds);
            Console.WriteLine("mono: {0} passed, {1} failed, {2} skipped", counts.Passed, counts.Failed, counts.Skipped);
            if (counts.Failed > 0) return 1;
            return counts.Passed == 0 && filter == TestFilter.Empty ? 2 : 0;   // a filter may match none of these tests
        }

        static TestFilter ParseFilter(string[] args)
        {
            var names = new List<string>();
            for (var i = 0; i < args.Length; i++)
            {
                if (args[i] == "--contains" && i + 1 < args.Length) { names.Add(Regex.Escape(args[++i])); continue; }
                Console.Error.WriteLine("unknown argument: " + args[i] + " ");
                return null;
            }
            if (names.Count == 0) return TestFilter.Empty;
            return new NameContains(new Regex(string.Join("|", names)));
        }

        /// <summary>Selects test cases by full name (NUnit's FullNameFilter is internal).</summary>
        sealed class NameContains : TestFilter
        {
            readonly Regex _pattern;

            public NameContains(Regex pattern) { _pattern = pattern; }

            public override bool Match(ITest test) => _pattern.IsMatch(test.FullName);

            public override TNode AddToXml(TNode parentNode, bool recursive)
            {
                var node = parentNode.AddElement("test", _pattern.ToString());
                node.AddAttribute("re", "1");
                return node;
            }
        }

        static string RuntimeName()
        {
            // Mono.Runtime.GetDisplayName is internal: read it by reflection (no emit; only this host runs it).
            var mono = Type.GetType("Mono.Runtime");
            var display = mono?.GetMethod("GetDisplayName", BindingFlags.NonPublic | BindingFlags.Static);
            return display != null ? "Mono " + display.Invoke(null, null) : "a runtime that is not Mono (" + Environment.Version + ")";
        }

        sealed class Counts
        {
            public int Passed, Failed, Skipped;
        }

        /// <summary>Counts test cases (not suites); prints each failure with its message and stack.</summary>
        sealed class Listener : ITestListener
        {
            readonly Counts _counts;

            public Listener(Counts counts) { _counts = counts; }

            public void TestStarted(ITest test) { }

            public void TestFinished(ITestResult result)
            {
                if (result.Test.IsSuite)
                {
                    // A fixture whose OneTimeSetUp failed marks its cases failed too; a failure of the suite alone
                    // (nothing below it ran) still counts once.
                    if (result.ResultState.Status == TestStatus.Failed && result.ResultState.Site != FailureSite.Child &&
                        result.PassCount + result.FailCount + result.SkipCount + result.InconclusiveCount + result.WarningCount == 0)
                    {
                        _counts.Failed++;
                        Report(result);
                    }
                    return;
                }
                switch (result.ResultState.Status)
                {
                    case TestStatus.Passed: _counts.Passed++; break;
                    case TestStatus.Failed: _counts.Failed++; Report(result); break;
                    default: _counts.Skipped++; break;   // ignored, explicit, inconclusive, warning: not a pass
                }
            }

            public void TestOutput(TestOutput output) { }

            public void SendMessage(TestMessage message) { }

            static void Report(ITestResult result)
            {
                Out.WriteLine("FAILED " + result.FullName + " (" + result.ResultState + ")");
                if (!string.IsNullOrEmpty(result.Message)) Out.WriteLine("  " + result.Message.Trim().Replace("\n", "\n  "));
                if (!string.IsNullOrEmpty(result.StackTrace)) Out.WriteLine("  " + result.StackTrace.Trim().Replace("\n", "\n  "));
                Out.Flush();
            }
        }
    }
}
