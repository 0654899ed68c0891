using System;

namespace Parley.Cli
{
    public static class Program
    {
        public static int Main(string[] args)
        {
            Console.Error.WriteLine("parley: no commands yet (talk, resample, emulator are being built).");
            return 2;
        }
    }
}
