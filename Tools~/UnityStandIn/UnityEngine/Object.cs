// Stand-in for UnityEngine.Object and the component hierarchy (shared/unity/api-signatures.md §6).
// Only members Parley uses; bodies model Unity's documented behaviour where tests depend on it.
namespace UnityEngine
{
    public partial class Object
    {
        public string name { get; set; }
    }

    public partial class Component : Object
    {
    }

    public class Behaviour : Component
    {
        public bool enabled { get; set; } = true;
    }

    public class MonoBehaviour : Behaviour
    {
        public MonoBehaviour() { }
    }
}
