//! `persistentVolumeReclaimPolicy: Recycle` through kubectl: once its claim is deleted the
//! volume is Released, then the recycler makes it Available and a new claim binds it
//! (pkg/controller/volume/persistentvolume/pv_controller.go `reclaimVolume`,
//! `recycleVolumeOperation` and `unbindVolume`, v1.34).
//!
//! The recycler pod's scrub of the files is not modelled.

use lab::Session;

const PV: &str = "apiVersion: v1
kind: PersistentVolume
metadata:
  name: scratch
spec:
  capacity:
    storage: 1Gi
  accessModes: [ReadWriteOnce]
  persistentVolumeReclaimPolicy: Recycle
  storageClassName: \"\"
  hostPath:
    path: /tmp/scratch
";

fn claim(name: &str) -> String {
    format!(
        "apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: {name}
spec:
  storageClassName: \"\"
  accessModes: [ReadWriteOnce]
  resources:
    requests:
      storage: 1Gi
"
    )
}

/// `{.status.phase} {.spec.claimRef.name}` of the volume.
fn volume(s: &mut Session) -> String {
    s.run_command("kubectl get pv scratch -o jsonpath={.status.phase}/{.spec.claimRef.name}")
        .text()
}

#[test]
fn a_recycled_volume_is_released_then_available_for_the_next_claim() {
    let mut s = Session::with_seed(1);
    s.write_file("pv.yaml", PV);
    s.write_file("claim.yaml", &claim("claim"));
    s.write_file("claim2.yaml", &claim("claim2"));
    // The API server accepts the deprecated policy with a warning (GetWarningsForPersistentVolume).
    assert_eq!(
        s.run_command("kubectl apply -f pv.yaml").text(),
        "Warning: spec.persistentVolumeReclaimPolicy: The Recycle reclaim policy is deprecated. \
         Instead, the recommended approach is to use dynamic provisioning.\n\
         persistentvolume/scratch created\n"
    );
    assert_eq!(
        s.run_command("kubectl apply -f claim.yaml").text(),
        "persistentvolumeclaim/claim created\n"
    );
    s.advance(5_000);
    assert_eq!(volume(&mut s), "Bound/claim\n");

    s.run_command("kubectl delete pvc claim");
    s.advance(1_000);
    // Released: the claim is gone but the volume still names it.
    assert_eq!(volume(&mut s), "Released/claim\n");
    let table = s.run_command("kubectl get pv scratch").text();
    assert!(
        table.contains("   Recycle          Released   default/claim "),
        "{table}"
    );

    s.advance(5_000);
    assert_eq!(volume(&mut s), "Available/\n");
    let reasons = "kubectl get events --field-selector involvedObject.name=scratch \
                   -o jsonpath={.items[*].reason}";
    let events = s.run_command(reasons).text();
    assert_eq!(events, "VolumeRecycled\n");

    s.run_command("kubectl apply -f claim2.yaml");
    s.advance(5_000);
    assert_eq!(volume(&mut s), "Bound/claim2\n");
    assert_eq!(
        s.run_command("kubectl get pvc claim2 -o jsonpath={.status.phase}")
            .text(),
        "Bound\n"
    );
}
