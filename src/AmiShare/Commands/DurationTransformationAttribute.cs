using System;
using System.Management.Automation;
using AmiShare.Engine;
using AmiShare.Engine.Distribution;

namespace AmiShare.Commands
{
    /// <summary>Lets a TimeSpan parameter take what users write: 365d, 52w, 12h, 90m (the engine's <see cref="DurationText"/>).</summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class DurationTransformationAttribute : ArgumentTransformationAttribute
    {
        /// <inheritdoc />
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            object value = inputData is PSObject p ? p.BaseObject : inputData;
            if (value == null || value is TimeSpan)
            {
                return inputData;
            }

            // 365d arrives as the decimal literal 365 (PowerShell's d suffix); its PSObject keeps the text as typed.
            string text = value as string ?? inputData.ToString();
            try
            {
                return DurationText.Parse(text, "-DeprecateAfter");
            }
            catch (AmiShareException e)
            {
                throw new ArgumentTransformationMetadataException(e.Message, e);
            }
        }
    }
}
