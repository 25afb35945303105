using System.Text.RegularExpressions;

namespace AmiShare.Engine
{
    /// <summary>Validation of AMI ids before any AWS call.</summary>
    public static class ImageIds
    {
        private static readonly Regex s_imageId = new Regex(@"^ami-([0-9a-f]{8}|[0-9a-f]{17})\z", RegexOptions.CultureInvariant);

        /// <summary>Trims and checks an AMI id (ami- followed by 8 or 17 lower-case hex digits); throws InvalidImageId.</summary>
        public static string Normalize(string input)
        {
            string value = input?.Trim();
            if (string.IsNullOrEmpty(value) || !s_imageId.IsMatch(value))
            {
                string shown = input == null ? "<null>" : "'" + input + "'";
                throw new AmiShareException(
                    ErrorIds.InvalidImageId,
                    AmiShareErrorKind.InvalidArgument,
                    $"The image id {shown} is not a valid AMI id.",
                    input,
                    "An AMI id is 'ami-' followed by 8 or 17 lower-case hexadecimal digits, e.g. ami-0abcdef1234567890.");
            }

            return value;
        }
    }
}
