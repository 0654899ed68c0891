using System;
using System.Collections.Generic;

namespace Parley.Fuzz
{
    /// <summary>What one input did: decoded into a message, or refused with the decoder's typed error.</summary>
    public enum Outcome { Decoded, Rejected }

    /// <summary>An outcome the decoder's contract does not allow (a broken invariant, a leaked internal exception).</summary>
    public sealed class FuzzFinding : Exception
    {
        public FuzzFinding(string message, Exception inner = null) : base(message, inner) { }
    }

    /// <summary>
    /// One decoder of server input under fuzzing. <see cref="Run"/> decodes one input and checks what the decoder
    /// promises; an exception that <see cref="IsTypedError"/> accepts counts as a clean refusal, any other
    /// exception (or a <see cref="FuzzFinding"/>) is a finding.
    /// </summary>
    public abstract class FuzzTarget : IDisposable
    {
        public abstract string Name { get; }

        /// <summary>The code under test, for the report.</summary>
        public abstract string Decoder { get; }

        /// <summary>The typed errors of this decoder's contract, for the report.</summary>
        public abstract string TypedErrors { get; }

        /// <summary>Real frames to mutate: recordings in Tests/Fixtures~/protocols plus shapes the recordings lack.</summary>
        public abstract IEnumerable<byte[]> Seeds(SeedFiles files);

        public abstract Outcome Run(byte[] input);

        public abstract bool IsTypedError(Exception e);

        public virtual void Dispose() { }
    }
}
