// Stand-in for Unity.Jobs (UnityEngine.CoreModule). Signatures from UnityCsReference:
// Runtime/Jobs/Managed/IJob.cs (IJob, IJobExtensions.Run/Schedule) and
// Runtime/Jobs/ScriptBindings/JobHandle.bindings.cs (JobHandle.Complete, IsCompleted).
// There is no job system here: Schedule runs the job on the calling thread before returning, so the
// handle is always complete. Tests therefore check results, never concurrency.
namespace Unity.Jobs
{
    public interface IJob
    {
        void Execute();
    }

    public struct JobHandle
    {
        public void Complete() { }

        public bool IsCompleted => true;
    }

    public static class IJobExtensions
    {
        public static JobHandle Schedule<T>(this T jobData, JobHandle dependsOn = new JobHandle()) where T : struct, IJob
        {
            dependsOn.Complete();
            jobData.Execute();
            return new JobHandle();
        }

        public static void Run<T>(this T jobData) where T : struct, IJob => jobData.Execute();
    }
}
