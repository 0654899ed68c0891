namespace Parley.TokenServer
{
    public static class Program
    {
        /// <summary><c>dotnet run -- --urls http://0.0.0.0:8080</c>; keys and the player-token secret come from the environment.</summary>
        public static void Main(string[] args) => TokenServerApp.Build(args).Run();
    }
}
